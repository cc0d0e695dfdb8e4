"""Every route of the URL map, walked (issue 19, findings 8 and 11).

- Existence oracles: signed out, and signed in as staff who may not see the record, a route
  with an id in its path answers a real id exactly as it answers a random one (status and
  body): what exists is not told to someone who may not see it.
- Every 405 carries ``Allow`` naming the methods the path takes (RFC 9110, 15.5.6).

Flask's test client on a real database, seeded through the API with a record of every kind
(tests/attack/seed.py).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from server.extensions import db
from server.kinds import ALL_KINDS
from server.models import (
    AccountChange,
    Attachment,
    BoardPhoto,
    Child,
    DeviceKey,
    GuardianSession,
    Meeting,
    Report,
    User,
)
from tests.attack.doors import WAYS, Door, door
from tests.attack.route_walk import METHODS, fill, id_routes, kind_of, random_id
from tests.attack.seed import pools, seed
from tests.attack.served import MANY_SIGN_INS, PASSWORD
from tests.harness import ApiClient, migrated_app, migrated_database_url, settings
from tests.server.reporting import form_token, invitation_links
from tests.server.world import created


@pytest.fixture(scope="module", params=WAYS)
def way_of_edges(request: pytest.FixtureRequest) -> Iterator[Door]:
    """Both ways in (tests/attack/doors.py), each with its own world."""
    with door(request.param) as way_in:
        yield way_in


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, way_of_edges: Door
) -> Iterator[tuple[Flask, dict[str, Any]]]:
    way = way_of_edges.way
    tmp: Path = tmp_path_factory.mktemp(f"edges-{way}")
    app = migrated_app(
        settings(
            tmp,
            migrated_database_url(tmp, f"edges-{way}"),
            SECRET_KEY="route-edges",
            LOGIN_RATE_LIMIT=MANY_SIGN_INS,
            **way_of_edges.settings(),
        ),
        demo_password=PASSWORD,
    )
    seed(app, way_of_edges)
    _extras(app, way_of_edges)
    found = pools(app)
    with app.app_context():
        found["device_key"] = sorted(db.session.scalars(select(DeviceKey.id)))
        db.session.remove()
    yield app, found
    with app.app_context():
        db.engine.dispose()


def _extras(app: Flask, way_in: Door) -> None:
    """What the seed lacks: the father's comment on the report, a scaling answer, a goal
    pair and its score."""
    with app.app_context():
        emma = db.session.scalars(select(Child.id).where(Child.first_name == "Emma")).one()
        meeting = db.session.scalars(select(Report.meeting_id)).first()
        follow_up = db.session.scalars(
            select(Meeting.id).where(Meeting.kind == "follow_up")
        ).first()
        db.session.remove()
    if way_in.provider:
        _change_from_before_the_switch(app)
    familie = way_in.staff(app, "familie@example.org")
    created(
        familie.post(
            "/api/scaling-answers",
            {"meeting_id": follow_up, "role": "child", "name": "Barnet", "value": 4},
        )
    )
    worry, goal = (
        created(familie.post("/api/notes", {"meeting_id": follow_up, "column": c, "text": c}))
        for c in ("worries", "next_steps")
    )
    pair = created(
        familie.post(
            "/api/goal-pairs",
            {
                "course_id": worry["course_id"],
                "worry_note_id": worry["id"],
                "goal_note_id": goal["id"],
            },
        )
    )
    created(
        familie.post(
            "/api/goal-scores",
            {
                "meeting_id": follow_up,
                "goal_pair_id": pair["id"],
                "role": "child",
                "name": "B",
                "value": 5,
            },
        )
    )
    assert familie.post(f"/api/devices/{uuid.uuid4()}/key").status_code == 200  # her tablet
    far = way_in.parent(app, "Lars", "" if way_in.provider else invitation_links(app, emma)["far"])
    page = f"/p/reports/{meeting}"
    resp = far.post(
        f"{page}/comments", data={"text": "Tak for mødet", "csrf_token": form_token(far.get(page))}
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)


def _change_from_before_the_switch(app: Flask) -> None:
    """With the municipality's login no admin asks for an account change; one asked for while
    passwords were on may still wait for approval, and its routes are walked all the same."""
    with app.app_context():
        user = dict(db.session.execute(select(User.email, User.id)).tuples().all())
        db.session.add(
            AccountChange(
                user_id=user["paedagog@example.org"],
                kind="role",
                requested_by_id=user["admin@example.org"],
                values=json.dumps({"values": {"role": "admin"}, "previous": {"role": "educator"}}),
            )
        )
        db.session.commit()
        db.session.remove()


def _answers(client: ApiClient, rule: Rule, pools: dict[str, Any]) -> list[str]:
    """For each method of the rule, where its answer to a real id differs from a random's."""
    kinds = {arg: kind_of(rule, arg) for arg in rule.arguments}
    empty = [kind for kind in kinds.values() if not pools.get(kind)]
    assert not empty, f"the seed made no {empty} for {rule.rule}"
    real = fill(rule, {arg: pools[kind][0] for arg, kind in kinds.items()})
    fake = fill(rule, {arg: random_id(kind) for arg, kind in kinds.items()})
    differ = []
    for method in sorted((rule.methods or set()) & set(METHODS)):
        one, other = (
            client.raw.open(
                url, method=method, headers={"X-CSRF-Token": client._token(), "Sync-Protocol": "1"}
            )
            for url in (real, fake)
        )
        if (one.status_code, one.data) != (other.status_code, other.data):
            differ.append(
                f"{method} {rule.rule}: {one.status_code} {one.data[:80]!r} for a "
                f"real id, {other.status_code} {other.data[:80]!r} for a random one"
            )
    return differ


def test_signed_out_a_real_id_is_answered_as_a_random_one(
    world: tuple[Flask, dict[str, Any]],
) -> None:
    app, pools = world
    client = ApiClient(app.test_client())
    differ = [line for rule in id_routes(app) for line in _answers(client, rule, pools)]
    assert differ == []


def test_staff_who_may_not_see_a_record_cannot_tell_that_it_exists(
    world: tuple[Flask, dict[str, Any]], way_of_edges: Door
) -> None:
    """The teacher of another institution, against the records of Emma's course."""
    app, pools = world
    outsider = way_of_edges.staff(app, "paedagog2@example.org")
    emma = _emmas(app, pools)
    # Every member of staff reads the list of institutions (to pick one): reading one of
    # them by id tells nothing the list does not.
    listed = {i["id"] for i in outsider.get("/api/institutions").get_json()}
    assert set(emma["institution"]) <= listed
    differ = [
        line
        for rule in id_routes(app)
        if rule.rule.startswith("/api/")
        for line in _answers(outsider, rule, emma)
        if not line.startswith("GET /api/institutions/<institution_id>:")
    ]
    assert differ == []


def _emmas(app: Flask, pools: dict[str, Any]) -> dict[str, Any]:
    """The pools cut down to records of Emma's case (which the outsider may not see)."""
    with app.app_context():
        emma = db.session.scalars(select(Child.id).where(Child.first_name == "Emma")).one()
        mine: dict[str, Any] = {
            kind.name: sorted(
                row.id
                for row in db.session.scalars(select(kind.model))
                if kind.child_id_of(row) == emma
            )
            for kind in ALL_KINDS
        }
        mine["attachment"] = [
            a.id for a in db.session.scalars(select(Attachment)) if a.course_id in mine["course"]
        ]
        mine["guardian_session"] = [
            s.id
            for s in db.session.scalars(select(GuardianSession))
            if s.guardian_id in mine["guardian"]
        ]
        mine["blob"] = sorted(
            {
                p.content_hash
                for p in db.session.scalars(select(BoardPhoto))
                if p.id in mine["board_photo"]
            }
        )
        # The municipality's directory (institutions, staff) is not a child's case: the
        # records named are those of another institution than the outsider's.
        own = db.session.scalars(select(User).where(User.email == "paedagog2@example.org")).one()
        mine["institution"] = [i for i in pools["institution"] if i != own.institution_id]
        mine["user"] = [
            u.id
            for u in db.session.scalars(select(User))
            if u.institution_id not in (None, own.institution_id)
        ]
        mine["account_change"] = pools["account_change"]  # admins' only: a 403 either way
        mine["device_key"] = pools["device_key"]  # closed by admins only: a 403 either way
        assert all(mine[k] for k in ("attachment", "guardian_session", "blob", "guardian"))
        db.session.remove()
    return mine


def test_every_405_names_the_methods_the_path_takes(world: tuple[Flask, dict[str, Any]]) -> None:
    app, _pools = world
    client = ApiClient(app.test_client())
    adapter = app.url_map.bind("localhost")
    missing = []
    seen = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        url = fill(rule, {arg: "x" for arg in rule.arguments})
        if url in seen:
            continue
        seen.add(url)
        allowed = set(adapter.allowed_methods(url))
        for method in sorted(set(METHODS) - allowed):
            resp = client.raw.open(url, method=method, headers={"X-CSRF-Token": client._token()})
            named = {m.strip() for m in resp.headers.get("Allow", "").split(",") if m.strip()}
            if resp.status_code != 405 or named != allowed:
                missing.append(
                    f"{method} {url}: {resp.status_code}, Allow {sorted(named)} "
                    f"(the path takes {sorted(allowed)})"
                )
            elif resp.get_json()["error"]["code"] != "method_not_allowed":
                missing.append(f"{method} {url}: {resp.get_json()}")
    assert missing == []
