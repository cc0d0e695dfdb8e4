"""Lists show exactly what the item route would show, and each child shown is audited
(issue 10 item 1).

Every list route of the API, for every member of staff, over two courses in two
institutions: the list of a parent holds exactly the parent's records whose item route
answers that user 200, and a parent the user may not read is a 404 like the item.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.kinds import ALL_KINDS
from server.models import AuditEntry, Institution
from tests.harness import ApiClient
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.accounts import new_staff
from tests.server.world import build_course

STAFF = ("admin", "familie", "familie2", "paedagog", "paedagog2", "ppr")


@pytest.fixture
def world(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, ApiClient]:
    """The demo course (Emma, Solsikken) and another family-unit worker's course for a child
    at Skovbørnehaven; a client signed in as each member of staff."""
    new_staff(
        app,
        as_user("admin"),
        as_user("admin2"),
        {"email": "familie2@example.org", "name": "Frank Familie", "role": "family_unit"},
        DEMO_PASSWORD,
    )
    clients = {name: as_user(name) for name in STAFF}
    me = clients["familie2"].get("/api/auth/me").get_json()["user"]
    build_course(clients["familie2"], demo["institutions"]["Skovbørnehaven"], me["id"])
    familie = clients["familie"]
    familie.post(
        "/api/notes",
        {"meeting_id": demo["meeting"], "column": "worries", "text": "Emma er ked af det"},
    )
    familie.post(
        "/api/agreements",
        {"meeting_id": demo["meeting"], "what": "Ring til mor", "owner": "family_unit"},
    )
    return clients


def _routes(app: Flask) -> dict[str, tuple[str, str]]:
    """Kind name → (list URL pattern, item URL pattern), read from the app's own routes."""
    rules = {rule.endpoint.split(".")[-1]: rule.rule for rule in app.url_map.iter_rules()}
    return {
        kind.name: (rules[f"{kind.name}_by_parent"], rules[f"{kind.name}_item"])
        for kind in ALL_KINDS
    }


def _parents_and_records(app: Flask) -> dict[str, dict[str, list[str]]]:
    """Kind name → {parent id → ids of its live records}, from the database itself."""
    out: dict[str, dict[str, list[str]]] = {}
    with app.app_context():
        institutions = list(db.session.scalars(select(Institution.id)))
        for kind in ALL_KINDS:
            by_parent: dict[str, list[str]] = (
                {i: [] for i in institutions} if kind.name == "child" else {}
            )
            column = getattr(kind.model, kind.parent_field)
            for parent_id, record_id in db.session.execute(
                select(column, kind.model.id).where(kind.model.deleted_at.is_(None))
            ):
                by_parent.setdefault(parent_id, []).append(record_id)
            out[kind.name] = by_parent
    return out


def test_every_list_shows_exactly_what_the_item_route_shows(
    app: Flask, world: dict[str, ApiClient]
) -> None:
    routes = _routes(app)
    tree = _parents_and_records(app)
    assert sum(len(ids) for parents in tree.values() for ids in parents.values()) >= 25
    for who, client in world.items():
        for kind_name, parents in tree.items():
            list_url, item_url = routes[kind_name]
            for parent_id, record_ids in parents.items():
                readable = {
                    record_id
                    for record_id in record_ids
                    if client.get(item_url.replace("<record_id>", record_id)).status_code == 200
                }
                resp = client.get(list_url.replace("<parent_id>", parent_id))
                assert resp.status_code in (200, 404), (who, list_url, resp.status_code)
                listed = {r["id"] for r in resp.get_json()} if resp.status_code == 200 else set()
                assert listed == readable, (who, kind_name, parent_id, listed, readable)


def test_the_admin_and_a_psychologist_on_no_course_list_no_child(
    world: dict[str, ApiClient], demo: dict[str, Any]
) -> None:
    for who in ("admin", "ppr"):
        client = world[who]
        for institution in demo["institutions"].values():
            resp = client.get(f"/api/institutions/{institution}/children")
            assert resp.status_code in (200, 404)
            assert resp.status_code == 404 or resp.get_json() == [], (who, resp.get_json())
        assert client.get("/api/children").get_json() == []
        assert client.get("/api/courses").get_json() == []


def test_the_family_unit_lists_only_children_of_her_courses(
    world: dict[str, ApiClient], demo: dict[str, Any]
) -> None:
    solsikken = demo["institutions"]["Solsikken"]
    names = {
        c["first_name"]
        for c in world["familie"].get(f"/api/institutions/{solsikken}/children").get_json()
    }
    assert names == {"Emma"}  # Noah goes to Solsikken too, but she has no course for him
    # the educator of Solsikken sees every child there, as the item route lets her
    names = {
        c["first_name"]
        for c in world["paedagog"].get(f"/api/institutions/{solsikken}/children").get_json()
    }
    assert names == {"Emma", "Noah"}


def test_a_list_is_audited_once_per_child_shown(
    app: Flask, world: dict[str, ApiClient], demo: dict[str, Any]
) -> None:
    solsikken = demo["institutions"]["Solsikken"]
    paedagog_id = demo["users"]["paedagog"]
    assert len(world["paedagog"].get(f"/api/institutions/{solsikken}/children").get_json()) == 2
    world["paedagog"].get(f"/api/meetings/{demo['meeting']}/notes")
    world["ppr"].get(f"/api/institutions/{solsikken}/children")  # shows nothing: no entry
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "list")).all()
    child_lists = {(r.actor_id, r.child_id) for r in rows if r.entity == "child"}
    assert child_lists == {
        (paedagog_id, demo["children"]["Emma"]),
        (paedagog_id, demo["children"]["Noah"]),
    }
    assert (paedagog_id, "board_note", demo["children"]["Emma"]) in {
        (r.actor_id, r.entity, r.child_id) for r in rows
    }
    assert all(r.child_id for r in rows)
