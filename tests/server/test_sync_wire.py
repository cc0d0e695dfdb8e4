"""A pull sends every record exactly as its REST schema dumps it, however it is made.

A pull sends a record as the document the change log kept (server/sync/documents.py, on
PostgreSQL) or dumps it by marshmallow (server/sync/wire.py). Here every kind of record, in
the states a course goes through (values missing and present, times and dates, deleted, a
conflict's JSON values, published and read reports, a filing), is made through the API,
pulled by fresh devices and compared with marshmallow's dump.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.sync.documents import document
from server.sync.wire import KINDS, to_wire_many
from tests.server.records import every_kind_of_record
from tests.server.syncclient import Device


def test_pulled_records_are_what_marshmallow_dumps(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    every_kind_of_record(as_user, app, demo)
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
            got = {
                record_id: record
                for (entity, record_id), record in pulled.items()
                if entity == name
            }
            assert got == {record_id: expected[record_id] for record_id in got}, name
            compared[name] = len(got)
    # Every kind was seen with records (an empty comparison proves nothing).
    assert all(compared.values()), compared


def test_a_kind_with_a_computed_field_is_dumped_by_marshmallow() -> None:
    assert document(KINDS["board_photo"]) is None
    assert document(KINDS["board_note"]) is not None
