"""A pull sends every record exactly as its REST schema dumps it, however it is made.

Pulls build records straight from columns (server/sync/wire.py: ``plain_dumper``) instead of
``Schema.dump`` on ORM objects. Here every kind of record, in the states a course goes
through (values missing and present, times and dates, deleted, a conflict's JSON values,
published and read reports, a filing), is made through the API and compared field by field
with marshmallow's dump.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Row, select, text

from server.extensions import db
from server.sync.wire import KINDS, PlainDumper, plain_dumper, plain_rows, to_wire_many
from tests.server.records import every_kind_of_record
from tests.server.reporting import fill_meeting


def test_plain_records_are_what_marshmallow_dumps(
        app: Flask, as_user: Any, demo: dict[str, Any]) -> None:
    every_kind_of_record(as_user, app, demo)
    with app.app_context():
        compared = {}
        for name, kind in KINDS.items():
            dumper = plain_dumper(kind)
            if dumper is None:
                continue
            objs = db.session.scalars(select(kind.model)).all()
            expected = {record["id"]: record for record in to_wire_many(kind, objs)}
            got = {record["id"]: record for record in _plain(dumper, kind)}
            assert got == expected, name
            compared[name] = len(got)
    # Every kind that is sent plainly was seen with records (an empty comparison proves
    # nothing); the photo's computed "uploaded" keeps it on marshmallow.
    assert set(compared) == set(KINDS) - {"board_photo"}, compared
    assert all(compared.values()), compared


def _plain(dumper: PlainDumper, kind: Any) -> list[dict[str, Any]]:
    """As a pull reads them (on PostgreSQL through the driver's own cursor)."""
    scopes = {obj.id: obj.scope for obj in db.session.scalars(select(kind.model))}
    rows = plain_rows(db.session(), dumper, list(scopes))
    assert len(rows) == len(scopes)
    return [dumper.record(row, scopes[row.id]) for row in rows]


def test_on_postgresql_a_pull_reads_rows_through_the_driver_in_utc_only(
        app: Flask, as_user: Any, demo: dict[str, Any]) -> None:
    """The fast path takes times as psycopg gives them, so it runs only while the session's
    time zone is UTC; in another zone the rows come through SQLAlchemy, still in UTC."""
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: SQLite reads through SQLAlchemy")
        kind = KINDS["board_note"]
        dumper = plain_dumper(kind)
        assert dumper is not None
        ids = list(db.session.scalars(select(kind.model.id)))
        expected = {r["id"]: r for r in to_wire_many(
            kind, db.session.scalars(select(kind.model)).all())}
        for zone, driver in (("UTC", True), ("Europe/Copenhagen", False)):
            db.session.execute(text(f"SET TIME ZONE '{zone}'"))
            rows = plain_rows(db.session(), dumper, ids)
            assert (not isinstance(rows[0], Row)) is driver, zone
            got = {row.id: dumper.record(row, expected[row.id]["scope"]) for row in rows}
            assert got == expected, zone
            assert all(r["updated_at"].endswith("+00:00") for r in got.values())
        db.session.rollback()


def test_a_kind_with_a_computed_field_is_dumped_by_marshmallow() -> None:
    assert plain_dumper(KINDS["board_photo"]) is None
    assert plain_dumper(KINDS["board_note"]) is not None
