"""One write path (issue 11 §3): a REST call and a pushed mutation are applied by the same
code, so field clocks, conflicts, rules and audit do not depend on the way a change came."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, BoardNote
from tests.server.syncclient import Device


def new_id() -> str:
    return str(uuid.uuid4())


def clocks(app: Flask, note_id: str) -> dict[str, Any]:
    with app.app_context():
        note = db.session.get(BoardNote, note_id)
        assert note is not None
        return dict(note.field_clocks)


def test_rest_and_sync_write_the_same_field_clocks_and_audit(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    fields = {"meeting_id": demo["meeting"], "column": "worries", "text": "første"}
    by_rest = familie.post("/api/notes", fields).get_json()["id"]
    tablet = Device(familie)
    by_sync = new_id()
    tablet.upsert("board_note", by_sync, **fields)
    tablet.push()
    familie.patch(f"/api/notes/{by_rest}", {"text": "anden"})
    tablet.records[("board_note", by_sync)] = {"version": 1}
    tablet.upsert("board_note", by_sync, text="anden")
    tablet.push()
    rest_clocks, sync_clocks = clocks(app, by_rest), clocks(app, by_sync)
    user = demo["users"]["familie"]
    for field_clocks, client in ((rest_clocks, "server"), (sync_clocks, tablet.client_id)):
        # every field the author set, with who set it, from where, at which version
        assert set(field_clocks) == {"meeting_id", "column", "text", "position"}
        assert {(m["u"], m["d"]) for m in field_clocks.values()} == {(user, client)}
        assert (field_clocks["text"]["v"], field_clocks["column"]["v"]) == (2, 1)
    with app.app_context():
        entries = {
            (e.action, e.record_id, e.detail)
            for e in db.session.scalars(
                select(AuditEntry).where(AuditEntry.record_id.in_([by_rest, by_sync]))
            )
        }
    assert entries == {
        ("create", by_rest, "rest"),
        ("update", by_rest, "rest:text"),
        ("create", by_sync, "sync"),
        ("update", by_sync, "sync:text"),
    }


def test_a_rest_edit_and_a_concurrent_tablet_edit_merge_like_two_tablets(
    as_user: Any, demo: dict[str, Any]
) -> None:
    """The tablet edited offline before a colleague's REST edit: the later edit wins, and
    the loser is kept as a conflict for its author — whichever way each edit came."""
    familie, paedagog = as_user("familie"), as_user("paedagog")
    tablet = Device(familie)
    note_id = new_id()
    tablet.upsert(
        "board_note", note_id, meeting_id=demo["meeting"], column="working", text="fra mødet"
    )
    tablet.push()
    tablet.pull()
    tablet.now_ms -= 60_000  # the tablet's edit was made a minute before the REST edit
    tablet.upsert("board_note", note_id, text="tablettens udgave")
    assert paedagog.patch(f"/api/notes/{note_id}", {"text": "pædagogens udgave"}).status_code == 200
    result = tablet.push()[0]
    assert result["status"] == "merged"
    assert [(c["value"], c["winning_value"], c["user_id"]) for c in result["conflicts"]] == [
        ("tablettens udgave", "pædagogens udgave", demo["users"]["familie"])
    ]
    assert familie.get(f"/api/notes/{note_id}").get_json()["text"] == "pædagogens udgave"
    # and the other way round: a tablet edit made after a REST edit it had not seen wins,
    # and the REST author gets the conflict (on every device of hers, like any conflict)
    tablet.now_ms += 10 * 60_000
    tablet.upsert("board_note", note_id, text="tablettens anden udgave")
    assert paedagog.patch(f"/api/notes/{note_id}", {"text": "pædagogens anden"}).status_code == 200
    tablet.records[("board_note", note_id)]["version"] = 2  # before the REST edit
    result = tablet.push()[0]
    assert result["status"] == "merged"
    assert [(c["value"], c["user_id"]) for c in result["conflicts"]] == [
        ("pædagogens anden", demo["users"]["paedagog"])
    ]
    kept = [c for c in Device(paedagog).pull() if c["entity"] == "conflict"]
    assert [c["fields"]["value"] for c in kept] == ["pædagogens anden"]


def test_a_device_that_saw_a_value_wins_even_with_its_clock_behind(
    as_user: Any, demo: dict[str, Any]
) -> None:
    """Causality is carried by base_version, not by the clock (PROTOCOL.md: no stamp is
    ever observed): a tablet whose clock is an hour slow, having pulled a value, replaces it
    with no conflict — against a REST edit and against another tablet's edit alike."""
    familie, paedagog = as_user("familie"), as_user("paedagog")
    note_id = new_id()
    assert (
        familie.post(
            "/api/notes",
            {"id": note_id, "meeting_id": demo["meeting"], "column": "working", "text": "fra REST"},
        ).status_code
        == 201
    )
    fast = Device(paedagog)
    fast.now_ms += 50_000  # a tablet whose clock runs ahead (within the clamp)
    fast.pull()
    fast.upsert("board_note", note_id, text="fra den hurtige tablet")
    assert fast.push()[0]["status"] == "applied"
    slow = Device(familie)
    slow.now_ms -= 3_600_000
    slow.pull()  # sees the fast tablet's value
    slow.upsert("board_note", note_id, text="fra den langsomme tablet")
    result = slow.push()[0]
    assert (result["status"], result["conflicts"]) == ("applied", [])
    assert familie.get(f"/api/notes/{note_id}").get_json()["text"] == "fra den langsomme tablet"
