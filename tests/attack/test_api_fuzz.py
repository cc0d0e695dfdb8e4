"""Schemathesis over /api/openapi.json, signed in, against gunicorn: every operation must
answer below 500, as its document says (status, content type, body), in the one error shape.

A bounded, derandomized run here (`make test`); `make fuzz` runs a longer, random one (its
seed is printed with any failure: FUZZ_SEED=<n> make fuzz repeats it). The data is put back
before each operation, so a DELETE in one cannot starve the next of real records.

Both ways in (tests/attack/doors.py): with passwords on the whole budget; through the
municipality's provider with passwords off and the mother with MitID, a small one (a few
cases per operation as the family unit: the sign-in is what differs, and every operation
still meets a session made by the provider's callback). `make fuzz` gives both the whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
import requests

from tests.attack.doors import PASSWORDS, WAYS, door
from tests.attack.fuzzing import Budget, Findings, Fuzzer, operation_labels
from tests.attack.seed import seed
from tests.attack.served import Served, Snapshot, served
from tests.budget import FUZZ, budget

BUDGET = Budget.from_env()
# Through the provider: a few cases of every operation, as the family unit.
PROVIDER_BUDGET = (
    BUDGET
    if FUZZ
    else replace(
        BUDGET,
        examples=budget(4, quick=2, env="FUZZ_PROVIDER_EXAMPLES"),
        roles=("familie",),
        slow_examples=2,
    )
)


@dataclass
class FuzzWorld:
    budget: Budget
    served: Served
    pools: dict[str, list[str]]
    sessions: dict[str, requests.Session]
    cookies: dict[str, dict[str, str]]
    snapshot: Snapshot

    def put_back(self, role: str) -> requests.Session:
        """The data as seeded, and the user's browser signed in as before (a fuzzed logout
        or login replaces the cookie)."""
        self.served.restore(self.snapshot)
        http = self.sessions[role]
        http.cookies = requests.utils.cookiejar_from_dict(  # type: ignore[no-untyped-call]  # unannotated in types-requests
            self.cookies[role]
        )
        return http


@pytest.fixture(scope="module", params=WAYS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzWorld]:
    way = request.param
    with door(way) as way_in:
        tmp = tmp_path_factory.mktemp(f"fuzz-{way}")
        with served(tmp, f"fuzz-{way}", extra=way_in.settings()) as app:
            app.reset()
            pools = seed(app.app, way_in)
            chosen = BUDGET if way == PASSWORDS else PROVIDER_BUDGET
            sessions = {
                role: way_in.staff_http(app.base, f"{role}@example.org") for role in chosen.roles
            }
            cookies = {role: http.cookies.get_dict() for role, http in sessions.items()}
            yield FuzzWorld(chosen, app, pools, sessions, cookies, app.snapshot())


@pytest.mark.parametrize("label", operation_labels())
def test_operation_answers_as_documented(world: FuzzWorld, label: str) -> None:
    findings = Findings()
    fuzzer = Fuzzer(world.served.base, world.pools, findings, world.served.log)
    for role in world.budget.roles:
        fuzzer.run(label, role, world.put_back(role), world.budget)
    findings.save(label)
    if findings.by_key:
        chosen = world.budget.seed
        seed_note = f"\n(FUZZ_SEED={chosen} repeats this run)" if chosen else ""
        pytest.fail(findings.report() + seed_note, pytrace=False)
