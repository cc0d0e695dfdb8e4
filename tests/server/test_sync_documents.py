"""A record kept as its wire JSON (server/sync/documents.py) is what marshmallow dumps, is
replaced by every change, and is never sent when it was made by other SQL than today's.

On PostgreSQL the change log writes each changed record's wire JSON beside its change, and a
pull sends that text as it is. A document that drifted from the record would send devices a
state that is not the server's: these tests compare every kind's documents with
marshmallow's dump, change records every way and pull again, write in another time zone,
and forge documents of an old shape.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text

from server.extensions import db
from server.models import SYNC_TABLES, BoardNote
from server.sync.documents import document, shapes
from server.sync.wire import KINDS, to_wire_many
from tests.server.records import every_kind_of_record
from tests.server.reporting import fill_meeting
from tests.server.syncclient import SYNC, Device
from tests.server.world import created

CHANGE = SYNC_TABLES.change


def _postgresql_only(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: elsewhere records are built at each pull")


def _stored(entity: str) -> dict[str, tuple[str | None, str | None]]:
    """record id → (document, shape) of every change of ``entity``."""
    rows = db.session.execute(
        select(CHANGE.c.record_id, CHANGE.c.doc, CHANGE.c.doc_shape).where(
            CHANGE.c.entity == entity
        )
    )
    return {record_id: (doc, shape) for record_id, doc, shape in rows}


def _dumped(entity: str) -> dict[str, dict[str, Any]]:
    """record id → the record as marshmallow dumps it for the wire."""
    kind = KINDS[entity]
    objs = db.session.scalars(select(kind.model)).all()
    return {record["id"]: record for record in to_wire_many(kind, objs)}


def _documents_match_dumps() -> dict[str, int]:
    compared = {}
    for entity, shape in shapes().items():
        stored, dumped = _stored(entity), _dumped(entity)
        assert set(stored) == set(dumped), entity
        for record_id, (doc, doc_shape) in stored.items():
            assert doc is not None and doc_shape == shape, (entity, record_id)
            assert json.loads(doc) == dumped[record_id], (entity, record_id)
        compared[entity] = len(stored)
    return compared


def test_every_kind_is_kept_exactly_as_marshmallow_dumps_it(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    _postgresql_only(app)
    every_kind_of_record(as_user, app, demo)
    with app.app_context():
        compared = _documents_match_dumps()
    # Every kind but the photo (a computed field) and conflicts (audited per record) has
    # documents, and each was seen with records: an empty comparison proves nothing.
    assert set(compared) == set(KINDS) - {"board_photo", "conflict"}, compared
    assert all(compared.values()), compared
    assert document(KINDS["board_photo"]) is None and document(KINDS["conflict"]) is None


def test_every_change_replaces_the_document_a_fresh_device_gets(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """Edited by REST, edited by a push, moved, deleted: a fresh device never gets the
    state before (on SQLite the same pulls run without documents)."""
    familie = as_user("familie")
    note = fill_meeting(familie, demo["meeting"])["notes"]["worries"]
    assert familie.patch(f"/api/notes/{note}", {"text": "ændret på tavlen"}).status_code == 200
    assert Device(familie).pull_record("board_note", note)["fields"]["text"] == "ændret på tavlen"
    tablet = Device(familie)
    tablet.pull()
    tablet.upsert("board_note", note, column="working", text="flyttet fra tablet")
    assert [r["status"] for r in tablet.push()] == ["applied"]
    fields = Device(familie).pull_record("board_note", note)["fields"]
    assert (fields["column"], fields["text"]) == ("working", "flyttet fra tablet")
    assert familie.delete(f"/api/notes/{note}").status_code in (200, 204)
    gone = Device(as_user("paedagog")).pull_record("board_note", note)
    assert gone["deleted"] is True and gone["version"] == 4
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert json.loads(_stored("board_note")[note][0] or "{}") == gone


def test_documents_are_in_utc_whatever_the_sessions_time_zone(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    _postgresql_only(app)
    fill_meeting(as_user("familie"), demo["meeting"])
    with app.app_context():
        db.session.execute(text("SET TIME ZONE 'Pacific/Chatham'"))  # +13:45 in December
        try:
            for note in db.session.scalars(select(BoardNote)):
                note.text = f"{note.text} (rettet)"
            db.session.commit()
            assert _documents_match_dumps()["board_note"] >= 2
            assert all(
                json.loads(doc or "{}")["updated_at"].endswith("+00:00")
                for doc, _shape in _stored("board_note").values()
            )
        finally:
            db.session.execute(text("SET TIME ZONE 'UTC'"))
            db.session.commit()


def test_a_document_of_another_shape_is_never_sent(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """A kind's fields changed in a later version: documents made before are not sent, and
    the record is built as the schema says now (here a forged one stands for them)."""
    familie = as_user("familie")
    note = fill_meeting(familie, demo["meeting"])["notes"]["working"]
    forged = json.dumps(
        {
            "entity": "board_note",
            "id": note,
            "version": 99,
            "scope": "course:x",
            "deleted": False,
            "updated_at": None,
            "fields": {"text": "forfalsket"},
        }
    )
    with app.app_context():
        db.session.execute(
            CHANGE.update()
            .where(CHANGE.c.record_id == note)
            .values(doc=forged, doc_shape="0ld5hape0ld5hape")
        )
        db.session.commit()
        expected = _dumped("board_note")[note]
    got = Device(familie).pull_record("board_note", note)
    assert got == expected and got["fields"]["text"] != "forfalsket"


def test_rebuilding_writes_the_documents_of_old_changes_once(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """Changes from before documents were kept (or of an old shape) get them from
    ``flask sync rebuild-documents``; a second run has nothing to do."""
    _postgresql_only(app)
    every_kind_of_record(as_user, app, demo)
    with app.app_context():
        db.session.execute(CHANGE.update().values(doc=None, doc_shape=None))
        db.session.execute(
            CHANGE.update()
            .where(CHANGE.c.entity == "task")
            .values(doc='{"old": true}', doc_shape="0ld5hape0ld5hape")
        )
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["sync", "rebuild-documents"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        compared = _documents_match_dumps()
        assert first.output.startswith(f"{sum(compared.values())} records")
        # Kinds without documents keep none.
        assert {doc for doc, _ in _stored("board_photo").values()} == {None}
    again = runner.invoke(args=["sync", "rebuild-documents"])
    assert again.output.startswith("0 records"), again.output


def test_a_pull_page_of_documents_is_valid_json_with_records_built_beside_them(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """Documents and records built at the pull (a photo, a conflict) in one page, in order."""
    familie = as_user("familie")
    made = fill_meeting(familie, demo["meeting"])
    target = made["notes"]["working"]
    tablet, other = Device(familie), Device(as_user("paedagog"))
    for device, text_ in ((tablet, "fra tavlen"), (other, "fra pædagogen")):
        device.records[("board_note", target)] = {"version": 1}
        device.upsert("board_note", target, text=text_)
    other.push()
    tablet.push()  # loses a value: a conflict record for familie
    created(
        familie.post(
            "/api/notes",
            {"meeting_id": demo["meeting"], "column": "worries", "text": str(uuid.uuid4())},
        )
    )
    resp = familie.post("/api/sync/pull", {"cursor": ""}, headers=SYNC)
    changes = json.loads(resp.get_data())["changes"]
    entities = {change["entity"] for change in changes}
    assert {"board_note", "board_photo", "conflict", "course", "child"} <= entities
    with app.app_context():
        seqs = dict(db.session.execute(select(CHANGE.c.record_id, CHANGE.c.seq)).all())
    order = [seqs[change["id"]] for change in changes]
    assert order == sorted(order)
