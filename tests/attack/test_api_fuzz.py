"""Schemathesis over /api/openapi.json, signed in, against gunicorn: every operation must
answer below 500, as its document says (status, content type, body), in the one error shape.

A bounded, derandomized run here (`make test`); `make fuzz` runs a longer, random one (its
seed is printed with any failure: FUZZ_SEED=<n> make fuzz repeats it). The data is put back
before each operation, so a DELETE in one cannot starve the next of real records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from tests.attack.fuzzing import Budget, Findings, Fuzzer, operation_labels
from tests.attack.seed import seed
from tests.attack.served import Served, Snapshot, served

BUDGET = Budget.from_env()


@dataclass
class FuzzWorld:
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


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzWorld]:
    with served(tmp_path_factory.mktemp("fuzz"), "fuzz") as app:
        app.reset()
        pools = seed(app.app)
        sessions = {role: app.sign_in(f"{role}@example.org") for role in BUDGET.roles}
        cookies = {role: http.cookies.get_dict() for role, http in sessions.items()}
        yield FuzzWorld(app, pools, sessions, cookies, app.snapshot())


@pytest.mark.parametrize("label", operation_labels())
def test_operation_answers_as_documented(world: FuzzWorld, label: str) -> None:
    findings = Findings()
    fuzzer = Fuzzer(world.served.base, world.pools, findings, world.served.log)
    for role in BUDGET.roles:
        fuzzer.run(label, role, world.put_back(role), BUDGET)
    findings.save(label)
    if findings.by_key:
        seed_note = f"\n(FUZZ_SEED={BUDGET.seed} repeats this run)" if BUDGET.seed else ""
        pytest.fail(findings.report() + seed_note, pytrace=False)
