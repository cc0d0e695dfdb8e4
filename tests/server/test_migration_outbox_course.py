"""Migration 0012: outbox messages written before it are given the course that was open for
their guardian's child when they were queued, where exactly one was; so retention deletes
them with that course (issue 19, finding 2)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

from server import create_app
from server.extensions import db
from server.models._common import utcnow
from tests.harness import empty_database_url, settings


def test_old_messages_get_the_course_open_when_they_were_queued(tmp_path: Path) -> None:
    url = empty_database_url(tmp_path, "migrate_outbox_course")
    app = create_app(settings(tmp_path, url))
    now = utcnow()

    def ago(days: int) -> object:
        return now - timedelta(days=days)

    with app.app_context():
        upgrade(revision="0011")
        tables = db.metadata.tables

        def add(table: str, **values: object) -> None:
            record = {"version": 1, "field_clocks": {}, "created_at": now, "updated_at": now}
            columns = tables[table].c
            db.session.execute(
                insert(tables[table]).values(
                    **{**{k: v for k, v in record.items() if k in columns}, **values}
                )
            )

        add("institution", id="i", name="Solsikken", kind="daycare")
        add(
            "user_account",
            id="u",
            email="f@example.org",
            name="F",
            role="family_unit",
            password_hash="x",
        )
        for child in ("c1", "c2"):
            add("child", id=child, first_name="A", last_name="B", institution_id="i")
            add("guardian", id=f"g-{child}", child_id=child, name="G", email="g@example.net")
        # Child 1: an old closed course, then the current one. Child 2: two at once.
        add(
            "course",
            id="old",
            child_id="c1",
            institution_id="i",
            leader_id="u",
            concern_level="moderate",
            start_date=date(2020, 1, 1),
            status="closed",
            created_at=ago(300),
            closed_at=ago(200),
        )
        add(
            "course",
            id="now",
            child_id="c1",
            institution_id="i",
            leader_id="u",
            concern_level="moderate",
            start_date=date(2021, 1, 1),
            created_at=ago(100),
        )
        for course in ("a", "b"):
            add(
                "course",
                id=course,
                child_id="c2",
                institution_id="i",
                leader_id="u",
                concern_level="moderate",
                start_date=date(2021, 1, 1),
                created_at=ago(100),
            )
        for message, guardian, days in (
            ("m-old", "g-c1", 250),
            ("m-now", "g-c1", 50),
            ("m-between", "g-c1", 150),
            ("m-both", "g-c2", 50),
        ):
            db.session.execute(
                insert(tables["outbound_message"]).values(
                    id=message,
                    to_address="g@example.net",
                    guardian_id=guardian,
                    subject="s",
                    body="b",
                    status="kept",
                    attempts=0,
                    last_error="",
                    created_at=ago(days),
                )
            )
        db.session.commit()
        upgrade()
        outbox = db.metadata.tables["outbound_message"]
        courses = dict(db.session.execute(select(outbox.c.id, outbox.c.course_id)).all())
        db.engine.dispose()
    assert courses == {"m-old": "old", "m-now": "now", "m-between": None, "m-both": None}
