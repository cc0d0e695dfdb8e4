"""A pull sends every record exactly as its REST schema dumps it, however it is made.

A pull sends a record as the document the change log kept (server/sync/documents.py, on
PostgreSQL) or dumps it by marshmallow (server/sync/wire.py). Here every kind of record, in
the states a course goes through (values missing and present, times and dates, deleted, a
conflict's JSON values, published and read reports, a filing), is made through the API,
pulled by fresh devices and compared with marshmallow's dump.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.sync.documents import document
from server.sync.wire import KINDS, to_wire_many
from tests.server.reporting import fill_meeting, form_token, invitation_links, phone, publish
from tests.server.syncclient import Device
from tests.server.world import created


def _every_kind_of_record(as_user: Any, app: Flask, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    meeting = demo["meeting"]
    scaling = Device(familie)  # the child's own answer, brought by staff
    scaling.upsert("scaling_answer", str(uuid.uuid4()), meeting_id=meeting,
                   participant_id=None, role="child", name="Emma", value=4)
    assert [r["status"] for r in scaling.push()] == ["applied"]
    made = fill_meeting(familie, meeting)  # notes, an agreement with a date, a photo; finished
    created(publish(familie, meeting))  # a report (and the guardians' invitations)
    created(familie.post("/api/filings", {"meeting_id": meeting}))
    links = invitation_links(app, demo["children"]["Emma"])
    mother = phone(app, links["mor"])
    page = mother.get(f"/p/reports/{meeting}")  # a read receipt
    assert mother.post(f"/p/reports/{meeting}/comments", data={
        "text": "Tak for mødet", "csrf_token": form_token(page)}).status_code == 303
    created(familie.post("/api/participants", {"meeting_id": meeting, "name": "Åse Ørum",
                                                "role": "other", "present": True}))
    created(familie.post("/api/minutes", {"meeting_id": meeting, "text": "Næste gang: 🎈"}))
    guardian = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()[0]
    created(familie.post("/api/consents", {
        "course_id": demo["course"], "guardian_id": guardian["id"], "status": "granted",
        "channel": "in_person", "granted_at": "2026-11-30T09:15:00.5+01:00"}))
    note = made["notes"]["worries"]
    familie.delete(f"/api/notes/{note}")  # deleted records travel too
    # A conflict: two tablets change the same note's text at once; one value loses.
    tablet, other = Device(familie), Device(as_user("paedagog"))
    target = made["notes"]["working"]
    for device, text_ in ((tablet, "fra tavlen"), (other, "fra pædagogen")):
        device.records[("board_note", target)] = {"version": 1}
        device.upsert("board_note", target, text=text_, position=2.5)
    other.push()
    tablet.push()


def test_pulled_records_are_what_marshmallow_dumps(
        app: Flask, as_user: Any, demo: dict[str, Any]) -> None:
    _every_kind_of_record(as_user, app, demo)
    pulled: dict[tuple[str, str], dict[str, Any]] = {}
    for user in ("familie", "paedagog"):  # a conflict goes to its author only
        for record in Device(as_user(user)).pull():
            if record["entity"] != "scope":
                pulled[(record["entity"], record["id"])] = record
    with app.app_context():
        compared: dict[str, int] = {}
        for name, kind in KINDS.items():
            objs = db.session.scalars(select(kind.model)).all()
            expected = {record["id"]: record for record in to_wire_many(kind, objs)}
            got = {record_id: record for (entity, record_id), record in pulled.items()
                   if entity == name}
            assert got == {record_id: expected[record_id] for record_id in got}, name
            compared[name] = len(got)
    # Every kind was seen with records (an empty comparison proves nothing).
    assert all(compared.values()), compared


def test_a_kind_with_a_computed_field_is_dumped_by_marshmallow() -> None:
    assert document(KINDS["board_photo"]) is None
    assert document(KINDS["board_note"]) is not None
