"""The access property: in random worlds, every route of the API document that reads or
writes a child's data, sync pull, photo bytes and course documents answer every member of
staff exactly as one reference predicate (tests/attack/access_model.py) says — and every
read of a child's data leaves an audit entry naming that child.

Both ways in (tests/attack/doors.py): staff with local passwords, and staff through the
municipality's identity provider with passwords off (the provider's role and institution
claims, not the rows the world was built with, decide who they are), the mother with MitID.

Flask's test client on a real database (not gunicorn): the decision is the app's, and the
hundreds of requests per world would cost HTTP round trips for nothing. A bounded,
derandomized number of worlds in `make test`; `make fuzz` draws many more at random.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from random import Random
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from server import create_app
from server.extensions import db
from server.models import AuditEntry
from tests import harness
from tests.attack import access_model as model
from tests.attack.access_probes import Probe, classify, multipart_body
from tests.attack.access_world import PASSWORD, Spec, Staff, World, build, specs
from tests.attack.doors import WAYS, Door, door
from tests.attack.fuzzing import operation_labels
from tests.attack.seed import small_image
from tests.attack.served import (
    MANY_SIGN_INS,
    empty_stores,
    put_back,
    take_snapshot,
)
from tests.budget import FUZZ, budget
from tests.harness import SYNC, ApiClient, empty_all_tables

# One world in `make check` (every route and role still probed in it), six in `make test`.
WORLDS = budget(6, quick=1, fuzz=60, env="ACCESS_WORLDS")
WRITES_PER_WORLD = budget(60, quick=20, fuzz=400, env="ACCESS_WRITES")


@pytest.fixture(scope="module", params=WAYS)
def way_in(request: pytest.FixtureRequest) -> Iterator[Door]:
    with door(request.param) as way:
        yield way


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, way_in: Door) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp(f"access-{way_in.way}")
    app = create_app(
        harness.settings(
            tmp,
            harness.migrated_database_url(tmp, f"access-{way_in.way}"),
            SECRET_KEY="access-property",
            LOGIN_RATE_LIMIT=MANY_SIGN_INS,
            **way_in.settings(),
        )
    )
    app.config["SNAPSHOTS"] = tmp / "snapshots"
    yield app
    with app.app_context():
        db.engine.dispose()


@dataclass
class Verdicts:
    """Distinct departures from the predicate: (route, role, what) → one example."""

    found: dict[tuple[str, str, str], str] = field(default_factory=dict)
    requests: int = 0

    def add(self, label: str, user: Staff, what: str, example: str) -> None:
        self.found.setdefault((label, user.role, what), example)

    def report(self) -> str:
        lines = [
            f"{len(self.found)} departure(s) from the access predicate in {self.requests} requests:"
        ]
        lines += [
            f"- {label} as {role}: {what}\n    e.g. {ex}"
            for (label, role, what), ex in sorted(self.found.items())
        ]
        return "\n".join(lines)


@settings(
    max_examples=WORLDS,
    deadline=None,
    derandomize=not FUZZ,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck),
)
@given(spec=specs(), rnd=st.randoms(use_true_random=False))
def test_every_route_answers_as_the_predicate_says(
    app: Flask, way_in: Door, spec: Spec, rnd: Random
) -> None:
    with app.app_context():
        empty_all_tables()
        db.session.remove()
    empty_stores(app)
    world = build(app, spec, way_in)
    probes = classify(operation_labels(), world)
    assert not probes.unclassified, (
        f"routes the access property does not know: {probes.unclassified} — give each a probe "
        "in tests/attack/access_probes.py or a reason in NOT_CHILD_DATA"
    )
    clients = {s.id: way_in.staff(app, s.email, PASSWORD) for s in world.staff}
    judge = Judge(app, world, Verdicts())
    for user in world.staff:
        client = clients[user.id]
        for probe in probes.reads:
            judge.read(user, client, probe)
        judge.pull(user, client)
        judge.photo_bytes(user, client)
    snap = take_snapshot(app, Path(app.config["SNAPSHOTS"]) / uuid.uuid4().hex)
    writes = [(u, p) for u in world.staff for p in probes.writes]
    writes += [(u, p) for u in world.staff for p in judge.push_probes()]
    for user, probe in rnd.sample(writes, min(WRITES_PER_WORLD, len(writes))):
        if judge.write(user, clients[user.id], probe):
            put_back(app, snap)  # the write went through: the next one meets the same world
    for user in world.staff:
        judge.upload(user, clients[user.id])
    if judge.verdicts.found:
        pytest.fail(judge.verdicts.report(), pytrace=False)


Answer = tuple[int, str, Any]  # status, content type, body (JSON, or the bytes' length)


class Judge:
    """Sends probes and holds each answer against the predicate."""

    def __init__(self, app: Flask, world: World, verdicts: Verdicts) -> None:
        self.app = app
        self.world = world
        self.verdicts = verdicts
        self.pulls = 0  # pulls alternate between POST (the app's) and GET (earlier versions')
        self._missing: dict[tuple[str, str, str, str], Answer] = {}

    # --- sending -----------------------------------------------------------------------
    def send(self, client: ApiClient, probe: Probe) -> Answer:
        self.verdicts.requests += 1
        if probe.multipart:
            resp = client.raw.post(
                probe.url,
                data=multipart_body(probe.body),
                headers={"X-CSRF-Token": client.csrf_token or ""},
                content_type="multipart/form-data",
            )
        elif probe.method == "GET":
            resp = client.get(probe.url)
        elif probe.method == "DELETE":
            resp = client.delete(probe.url)
        else:
            resp = getattr(client, probe.method.lower())(
                probe.url, probe.body if probe.body is not None else {}
            )
        body = resp.get_json(silent=True) if resp.is_json else len(resp.data)
        return resp.status_code, resp.mimetype or "", _without(body, probe.hide)

    def missing_answer(self, user: Staff, client: ApiClient, probe: Probe) -> Answer:
        key = (user.id, probe.label, probe.method, str(probe.multipart))
        if key not in self._missing:
            self._missing[key] = self.send(client, probe.as_if_missing())
        return self._missing[key]

    def audited_since(self, user: Staff, mark: int) -> set[str | None]:
        with self.app.app_context():
            rows = db.session.scalars(
                select(AuditEntry.child_id).where(
                    AuditEntry.id > mark, AuditEntry.actor_id == user.id
                )
            )
            found = set(rows)
            db.session.remove()
        return found

    def audit_mark(self) -> int:
        with self.app.app_context():
            mark = db.session.scalar(select(func.max(AuditEntry.id))) or 0
            db.session.remove()
        return int(mark)

    # --- reads -------------------------------------------------------------------------
    def read(self, user: Staff, client: ApiClient, probe: Probe) -> None:
        readable = probe.target is None or model.may_read(self.world, user, probe.target)
        mark = self.audit_mark()
        status, mimetype, body = self.send(client, probe)
        if not readable:
            self.hidden(user, client, probe, (status, mimetype, body))
            return
        if probe.action == "list":
            self.listing(user, probe, status, body, mark)
            return
        if status != 200:
            self.verdicts.add(
                probe.label,
                user,
                f"a record it may read answered {status}",
                f"{probe.url} → {str(body)[:160]}",
            )
            return
        assert probe.target is not None
        if probe.target.child_id not in self.audited_since(user, mark):
            self.verdicts.add(
                probe.label, user, "a read left no audit entry naming the child", probe.url
            )

    def listing(self, user: Staff, probe: Probe, status: int, body: Any, mark: int) -> None:
        assert probe.listed is not None
        expected = probe.listed(user)
        if status in (403, 404) and not expected and probe.target is None:
            return  # a list the role may not ask for shows nothing either way
        if status != 200 or not isinstance(body, list):
            self.verdicts.add(
                probe.label,
                user,
                f"a list it may read answered {status}",
                f"{probe.url} → {str(body)[:160]}",
            )
            return
        shown = {str(row.get("id") or row.get("user_id")) for row in body if isinstance(row, dict)}
        if shown - expected:
            self.verdicts.add(
                probe.label,
                user,
                "the list shows records it may not read",
                f"{probe.url}: {len(shown - expected)} too many",
            )
        if expected - shown:
            self.verdicts.add(
                probe.label,
                user,
                "the list hides records it may read",
                f"{probe.url}: {len(expected - shown)} missing",
            )
        want = probe.children(shown & expected) if probe.children else set()
        if want - self.audited_since(user, mark):
            self.verdicts.add(
                probe.label,
                user,
                "a list left no audit entry per child shown",
                f"{probe.url}: {len(want - self.audited_since(user, mark))} child(ren) unnamed",
            )

    def hidden(self, user: Staff, client: ApiClient, probe: Probe, answer: Answer) -> None:
        ghost = self.missing_answer(user, client, probe)
        if answer[0] not in (403, 404):
            self.verdicts.add(
                probe.label,
                user,
                f"a record it may not see answered {answer[0]}",
                f"{probe.method} {probe.url} → {str(answer[2])[:160]}",
            )
        elif answer != ghost:
            self.verdicts.add(
                probe.label,
                user,
                "a record it may not see is answered unlike a missing one",
                f"{probe.method} {probe.url} → {answer[0]} {str(answer[2])[:100]}"
                f"; missing → {ghost[0]} {str(ghost[2])[:100]}",
            )

    # --- writes ------------------------------------------------------------------------
    def write(self, user: Staff, client: ApiClient, probe: Probe) -> bool:
        """Send one write; True when it changed something (the caller puts the world back)."""
        if probe.label == "POST /api/sync/push":
            return self.push(user, client, probe)
        readable = probe.target is None or model.may_read(self.world, user, probe.target)
        answer = self.send(client, probe)
        if not readable:
            self.hidden(user, client, probe, answer)
            return answer[0] < 400
        allowed = (
            model.may_write(user, probe.write_kind)
            and _institution_ok(user, probe)
            and _leader_ok(self.world, user, probe)
        )
        refusals = {403, 404} if probe.label == "POST /api/children" else {403}
        if not allowed and answer[0] not in refusals:
            self.verdicts.add(
                probe.label,
                user,
                f"a role that may read but not write got {answer[0]}, not 403",
                f"{probe.method} {probe.url} → {str(answer[2])[:160]}",
            )
        if allowed and (answer[0] in (401, 403, 404) or answer[0] >= 500):
            self.verdicts.add(
                probe.label,
                user,
                f"an allowed write answered {answer[0]}",
                f"{probe.method} {probe.url} {probe.body} → {str(answer[2])[:160]}",
            )
        return answer[0] < 400

    def push_probes(self) -> list[Probe]:
        return [
            Probe("POST /api/sync/push", "POST", "/api/sync/push", r, "write", r.kind, hide=r.id)
            for r in self.world.records
            if r.kind in model.WRITERS and r.kind not in ("attachment", "guardian_session")
        ]

    def push(self, user: Staff, client: ApiClient, probe: Probe) -> bool:
        """A delete pushed by a tablet: the same rules as REST, answered per mutation."""
        assert probe.target is not None
        target = probe.target

        def result(record_id: str) -> dict[str, Any]:
            self.verdicts.requests += 1
            resp = client.post(
                "/api/sync/push",
                {
                    "client_id": str(uuid.uuid4()),
                    "mutations": [
                        {
                            "id": str(uuid.uuid4()),
                            "entity": target.kind,
                            "record_id": record_id,
                            "op": "delete",
                            "fields": {},
                            "base_version": None,
                            "clock": "1795000000000:00000:probe",
                        }
                    ],
                },
                headers=SYNC,
            )
            if resp.status_code != 200:
                return {"status": f"HTTP {resp.status_code}"}
            return dict(resp.get_json()["results"][0])

        got = result(probe.target.id)
        code = (got.get("error") or {}).get("code")
        # Sync sees deleted records too (its readers are told of deletions): visibility is
        # the course's, not the record's liveness.
        if not model.may_read(self.world, user, replace(probe.target, deleted=False)):
            ghost = result(str(uuid.uuid4()))
            if (got.get("status"), code) != (
                ghost.get("status"),
                (ghost.get("error") or {}).get("code"),
            ):
                self.verdicts.add(
                    probe.label,
                    user,
                    f"a hidden {probe.target.kind} is pushed unlike a missing one",
                    f"{got} vs {ghost}",
                )
            if got.get("status") != "rejected":
                self.verdicts.add(
                    probe.label, user, f"deleted a {probe.target.kind} it may not see", str(got)
                )
        elif not model.may_write(user, probe.target.kind):
            if code != "forbidden":
                self.verdicts.add(
                    probe.label,
                    user,
                    f"a {probe.target.kind} it may only read "
                    f"was answered {got.get('status')}/{code}",
                    str(got),
                )
        elif code in ("not_found", "forbidden", "server_error") or got["status"].startswith("HTTP"):
            self.verdicts.add(
                probe.label,
                user,
                f"an allowed delete of a {probe.target.kind} "
                f"was answered {got.get('status')}/{code}",
                str(got),
            )
        return got.get("status") in ("applied", "merged")

    def upload(self, user: Staff, client: ApiClient) -> None:
        """PUT of new photo bytes: staff on courses may, the admin may not."""
        image = small_image("PNG", seed=int(user.id[:6], 16) % 250)
        digest = hashlib.sha256(image).hexdigest()
        self.verdicts.requests += 1
        resp = client.put(f"/api/blobs/{digest}", data=image, headers={"Content-Type": "image/png"})
        allowed = model.may_write(user, "blob_upload")
        if allowed != (resp.status_code == 200) or (not allowed and resp.status_code != 403):
            self.verdicts.add(
                "PUT /api/blobs/{digest}",
                user,
                f"an upload answered {resp.status_code}",
                str(resp.get_json(silent=True))[:160],
            )

    # --- sync pull and photo bytes ------------------------------------------------------
    def pull(self, user: Staff, client: ApiClient) -> None:
        mark = self.audit_mark()
        received: dict[tuple[str, str], bool] = {}
        cursor = ""
        by_post = self.pulls % 2 == 0
        self.pulls += 1
        label = "POST /api/sync/pull" if by_post else "GET /api/sync/pull"
        for _ in range(20):
            self.verdicts.requests += 1
            resp = (
                client.post("/api/sync/pull", {"limit": 1000, "cursor": cursor}, headers=SYNC)
                if by_post
                else client.get(f"/api/sync/pull?limit=1000&cursor={cursor}", headers=SYNC)
            )
            if resp.status_code != 200:
                self.verdicts.add(
                    label, user, f"pull answered {resp.status_code}", str(resp.get_json())[:160]
                )
                return
            page = resp.get_json()
            for change in page["changes"]:
                if change["entity"] != "scope":
                    received[(change["entity"], change["id"])] = bool(change["deleted"])
            cursor = page["cursor"]
            if not page["more"]:
                break
        expected = model.pulled(self.world, user)
        extra = sorted({k for k, _ in set(received) - set(expected)})
        if extra:
            self.verdicts.add(
                label,
                user,
                f"pull brings records it may not read: {extra}",
                f"{len(set(received) - set(expected))} record(s)",
            )
        lacking = sorted({k for k, _ in set(expected) - set(received)})
        if lacking:
            self.verdicts.add(
                label,
                user,
                f"pull leaves out records it may read: {lacking}",
                f"{len(set(expected) - set(received))} record(s)",
            )
        wrong = [k for k in set(expected) & set(received) if expected[k] != received[k]]
        if wrong:
            self.verdicts.add(label, user, "pull tells deletion wrongly", str(wrong[:3]))
        child_of = {r.id: r.child_id for r in self.world.records}
        children = {child_of[i] for (_, i) in received if i in child_of}
        if children - self.audited_since(user, mark):
            self.verdicts.add(
                label,
                user,
                "pull left no audit entry for a child it sent",
                f"{len(children - self.audited_since(user, mark))} child(ren)",
            )

    def photo_bytes(self, user: Staff, client: ApiClient) -> None:
        unknown = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
        digests = sorted(self.world.photo_hashes)
        for digest in digests:
            for variant in ("", "?size=thumb"):
                mark = self.audit_mark()
                probe = Probe(
                    "GET /api/blobs/{digest}",
                    "GET",
                    f"/api/blobs/{digest}{variant}",
                    None,
                    "read",
                    hide=digest,
                )
                status, mimetype, body = self.send(client, probe)
                if model.may_read_bytes(self.world, user, digest):
                    children = {p.child_id for p in self.world.photo_hashes[digest]}
                    if status != 200:
                        self.verdicts.add(
                            probe.label, user, f"readable photo bytes answered {status}", probe.url
                        )
                    elif not children & self.audited_since(user, mark):
                        self.verdicts.add(
                            probe.label,
                            user,
                            "reading photo bytes left no audit entry naming the child",
                            probe.url,
                        )
                    continue
                ghost = self.send(
                    client,
                    Probe(
                        probe.label,
                        "GET",
                        f"/api/blobs/{unknown}{variant}",
                        None,
                        "read",
                        hide=unknown,
                    ),
                )
                if status == 200 or (status, mimetype, body) != ghost:
                    self.verdicts.add(
                        probe.label,
                        user,
                        "photo bytes it may not read are "
                        f"answered {status}, unlike unknown bytes ({ghost[0]})",
                        probe.url,
                    )
            self._upload_state(user, client, digest, unknown)
        self.verdicts.requests += 1
        resp = client.post("/api/blobs/missing", {"hashes": [*digests, unknown]})
        said = set(resp.get_json().get("missing", [])) if resp.status_code == 200 else None
        should = {d for d in digests if not model.may_know_bytes(self.world, user, d)}
        if said is None or said != should | {unknown}:
            self.verdicts.add(
                "POST /api/blobs/missing",
                user,
                "tells which photos exist unlike the predicate",
                f"{len((said or set()) ^ (should | {unknown}))} hash(es) differ "
                f"(status {resp.status_code})",
            )

    def _upload_state(self, user: Staff, client: ApiClient, digest: str, unknown: str) -> None:
        if model.may_know_bytes(self.world, user, digest):
            return
        probe = Probe(
            "GET /api/blobs/{digest}/upload",
            "GET",
            f"/api/blobs/{digest}/upload",
            None,
            "read",
            hide=digest,
        )
        answer = self.send(client, probe)
        ghost = self.send(
            client,
            Probe(probe.label, "GET", f"/api/blobs/{unknown}/upload", None, "read", hide=unknown),
        )
        if answer != ghost:
            self.verdicts.add(
                probe.label,
                user,
                "the upload state confirms photo bytes it may not read",
                f"{answer[:2]} {str(answer[2])[:80]} vs unknown {ghost[:2]} {str(ghost[2])[:80]}",
            )


def _institution_ok(user: Staff, probe: Probe) -> bool:
    """Registering a child: educators only in their own institution."""
    if probe.label != "POST /api/children" or user.role != "educator":
        return True
    return bool(probe.body and probe.body.get("institution_id") == user.institution_id)


def _leader_ok(world: World, user: Staff, probe: Probe) -> bool:
    """Publishing and filing a report: only the course's leader (architecture.md, "Reports
    for parents"); another family-unit member of the course gets 403 like a reader."""
    if probe.write_kind not in ("report", "filing") or probe.method != "POST":
        return True
    assert probe.target is not None and probe.target.course_id is not None
    return world.courses[probe.target.course_id][1] == user.id


def _without(body: Any, hidden_id: str) -> Any:
    """The body with the probed id masked (an answer may echo it; that reveals nothing)."""
    if not hidden_id:
        return body
    if isinstance(body, dict):
        return {k: _without(v, hidden_id) for k, v in body.items()}
    if isinstance(body, list):
        return [_without(v, hidden_id) for v in body]
    if isinstance(body, str):
        return body.replace(hidden_id, "<id>")
    return body
