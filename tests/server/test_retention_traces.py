"""Retention leaves no text behind in the database (issue 10 item 8).

A course is filled with distinctive texts every way they can arrive — REST, pushes, values
that lost to concurrent edits (conflicts, on a meeting's parts and on the course itself),
an edit to a deleted note, a published report — then closed and deleted by
``flask retention``. Afterwards every text, JSON and binary column of every table (read from
the database's own metadata, on SQLite and PostgreSQL alike) is searched for those texts.
(The file store's side is tests/server/test_retention.py and the blob store's tests.)
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import JSON, LargeBinary, String, Text, Unicode, UnicodeText, cast, select
from sqlalchemy import update as sql_update

from server.extensions import db
from server.models import Course
from server.models._common import utcnow
from tests.harness import ApiClient
from tests.server.courses import T0, finish, iso, meeting
from tests.server.syncclient import Device
from tests.server.world import created

TOKEN = f"Tracer{uuid.uuid4().hex[:10]}"  # ASCII: JSON columns may store text escaped


def text(label: str) -> str:
    return f"{TOKEN}-{label}"


def _course_full_of_texts(as_user: Any, demo: dict[str, Any]) -> tuple[str, Device, list[Any]]:
    """Noah's course, led by the demo family-unit worker, holding ``TOKEN`` everywhere."""
    familie: ApiClient = as_user("familie")
    paedagog: ApiClient = as_user("paedagog")
    course = created(
        paedagog.post(
            "/api/courses",
            {
                "child_id": demo["children"]["Noah"],
                "leader_id": demo["users"]["familie"],
                "concern_level": "moderate",
                "reason": text("reason"),
                "start_date": T0.date().isoformat(),
            },
        )
    )["id"]
    start = created(meeting(familie, course, "start", T0))["id"]
    assert (
        familie.patch(
            f"/api/meetings/{start}", {"agenda": text("agenda"), "place": text("place")}
        ).status_code
        == 200
    )
    for plural, body in (
        ("notes", {"column": "worries", "text": text("rest-note")}),
        ("agreements", {"what": text("agreement"), "owner": "family_unit"}),
        ("minutes", {"text": text("minutes")}),
        ("houses", {"worries": text("houses"), "shared_with_parents": True}),
        ("participants", {"name": text("participant"), "role": "other"}),
    ):
        created(familie.post(f"/api/{plural}", {"meeting_id": start, **body}))
    created(
        familie.post(
            "/api/tasks", {"course_id": course, "title": text("task"), "assignee_role": "educator"}
        )
    )
    # Pushes, and values that lose to concurrent edits (kept as conflicts, answered to pushes).
    a, b = Device(familie), Device(paedagog)
    note, gone = str(uuid.uuid4()), str(uuid.uuid4())
    a.upsert("board_note", note, meeting_id=start, column="working", text=text("pushed"))
    a.upsert("board_note", gone, meeting_id=start, column="working", text=text("to-delete"))
    a.push()
    a.pull()
    b.pull()
    b.now_ms += 5_000
    a.upsert("board_note", note, text=text("lost-a"))
    a.upsert("course", course, reason=text("course-lost-a"))
    b.upsert("board_note", note, text=text("won-b"))
    b.upsert("course", course, reason=text("course-won-b"))
    b.delete("board_note", gone)
    b.push()
    a.upsert("board_note", gone, text=text("edit-of-deleted"))
    batch = list(a.outbox)
    answers = a.push()
    assert sum(len(r["conflicts"]) for r in answers) == 3, answers
    assert TOKEN in str(answers)  # the first answer tells the author what was lost
    # The meeting is finished, its report published; then the closing meeting closes it.
    assert (
        finish(
            familie,
            start,
            child_participation="part",
            child_perspective=text("perspective"),
            next_meeting_at=iso(T0 + timedelta(days=30)),
        ).status_code
        == 200
    )
    created(familie.post("/api/reports", {"meeting_id": start}))
    closing = created(meeting(familie, course, "closing", T0 + timedelta(days=30)))["id"]
    assert finish(familie, closing).status_code == 200
    return str(course), a, batch


def _columns_holding(token: str) -> list[str]:
    """``table.column`` of every text, JSON and binary column holding ``token`` anywhere."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, LargeBinary):
                values = db.session.scalars(select(column).where(column.is_not(None)))
                if any(token.encode() in bytes(v) for v in values):
                    found.append(f"{table.name}.{column.name}")
            elif isinstance(column.type, String | Text | Unicode | UnicodeText | JSON):
                hit = db.session.scalar(
                    select(table.c[column.name]).where(cast(column, Text).contains(token)).limit(1)
                )
                if hit is not None:
                    found.append(f"{table.name}.{column.name}")
    return found


def test_retention_removes_every_trace_of_a_course_from_the_database(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    course, tablet, batch = _course_full_of_texts(as_user, demo)
    with app.app_context():
        before = _columns_holding(TOKEN)
        assert {
            "board_note.text",
            "course.reason",
            "sync_conflict.value",
            "report.snapshot",
        } <= set(before), before
        db.session.execute(
            sql_update(Course)
            .where(Course.id == course)
            .values(closed_at=utcnow() - timedelta(days=6 * 365))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention"])
    assert "Deleted 1 course(s)" in result.output, result.output
    with app.app_context():
        assert _columns_holding(TOKEN) == []
    # The author's devices learn that the conflicts are gone (they live outside the course).
    conflicts = [c for c in Device(tablet.api).pull() if c["entity"] == "conflict"]
    assert len(conflicts) == 3
    assert all(c["deleted"] and c["fields"]["value"] is None for c in conflicts)
    # A repeat of the push still gets an equivalent answer, without the values that are gone.
    tablet.outbox = batch
    repeat = tablet.push()
    assert {r["status"] for r in repeat} == {"duplicate"}
    assert all(r["conflicts"] == [] for r in repeat)
    assert TOKEN not in str(repeat)


def test_a_repeated_push_gets_the_conflicts_of_its_first_answer(
    as_user: Any, demo: dict[str, Any]
) -> None:
    """Answers are stored without the conflicts' values; a repeat reads them back."""
    a, b = Device(as_user("familie")), Device(as_user("paedagog"))
    note = str(uuid.uuid4())
    a.upsert("board_note", note, meeting_id=demo["meeting"], column="working", text="start")
    a.push()
    a.pull()
    b.pull()
    b.now_ms += 5_000
    a.upsert("board_note", note, text="a's text")
    b.upsert("board_note", note, text="b's text")
    b.push()
    batch = list(a.outbox)
    first = a.push()[0]
    a.outbox = batch
    again = a.push()[0]
    assert (again["status"], again["first_status"]) == ("duplicate", "merged")
    assert again["conflicts"] == first["conflicts"]
    assert again["conflicts"][0]["value"] == "a's text"
