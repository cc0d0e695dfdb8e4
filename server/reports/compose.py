"""Composing a meeting's report: the frozen snapshot that parents read and the PDF shows.

Parents read the snapshot, never the live records, so later edits at the table change
nothing they see until a corrected version is published.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.courses.checks import course_meetings
from server.extensions import db
from server.models import (
    Agreement,
    BoardNote,
    BoardPhoto,
    Child,
    Course,
    Houses,
    Meeting,
    Minutes,
    Participant,
    ScalingAnswer,
)
from server.models._common import HOUSE_PARTS
from server.parents.sender import of_course


def _live(model: type[Any], meeting_id: str, *order: Any) -> list[Any]:
    return list(
        db.session.scalars(
            select(model)
            .where(model.meeting_id == meeting_id, model.deleted_at.is_(None))
            .order_by(*order, model.created_at, model.id)
        )
    )


def compose(meeting: Meeting) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready data: frozen when it is published, so a
    version reads the same however the course goes on (only the parents' comments, added
    later, are not part of it)."""
    course = db.session.get(Course, meeting.course_id)
    assert course is not None
    child = db.session.get(Child, course.child_id)
    assert child is not None
    notes = _live(BoardNote, meeting.id, BoardNote.position)
    minutes = [m.text for m in _live(Minutes, meeting.id) if m.text.strip()]
    meetings = course_meetings(course.id)
    earlier = meetings[
        : next((i for i, m in enumerate(meetings) if m.id == meeting.id), len(meetings))
    ]
    return {
        "meeting": {
            "id": meeting.id,
            "kind": meeting.kind,
            "starts_at": meeting.starts_at.isoformat(),
            "place": meeting.place,
            "held_at": meeting.held_at.isoformat() if meeting.held_at else None,
            "number": len(earlier) + 1,
        },
        "course_id": course.id,
        "child": {"id": child.id, "first_name": child.first_name, "last_name": child.last_name},
        "participants": [
            {"name": p.name, "role": p.role, "present": p.present}
            for p in _live(Participant, meeting.id)
        ],
        "child_participation": meeting.child_participation,
        "child_perspective": meeting.child_perspective
        if meeting.child_participation != "whole"
        else "",
        "columns": {
            column: [n.text for n in notes if n.column == column]
            for column in ("worries", "working", "next_steps")
        },
        "photos": [_photo(p) for p in _live(BoardPhoto, meeting.id) if not p.house],
        # The child's three houses reach the parents only when shared (models/houses.py):
        # the snapshot is what the parents' page, PDF and JSON show, so unshared they are
        # not in it at all.
        "houses": houses_of(meeting.id, shared_only=True),
        "agreements": [
            {
                "what": a.what,
                "owner": a.owner,
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "carried": a.carried_from_id is not None,
            }
            for a in _live(Agreement, meeting.id)
        ],
        "review": _review(earlier[-1]) if earlier else None,
        "scaling": _scaling([*earlier, meeting]),
        "minutes": "\n\n".join(minutes),
        "next_meeting": _next_meeting(meeting),
        # Who sent it and whom to call, as on the day it was published (server/parents/
        # sender.py): the page, the parents' PDF and the filed PDF say the same.
        "sender": of_course(course.id),
    }


def _photo(p: BoardPhoto) -> dict[str, Any]:
    return {
        "id": p.id,
        "content_hash": p.content_hash,
        "content_type": p.content_type,
        "caption": p.caption,
    }


def houses_of(meeting_id: str, *, shared_only: bool) -> dict[str, Any] | None:
    """The child's three houses at a meeting, each part's words and drawings; None when
    nothing was put in them (or, with ``shared_only``, they are not shared)."""
    record = next(iter(_live(Houses, meeting_id)), None)
    drawings = [p for p in _live(BoardPhoto, meeting_id) if p.house]
    if record is None and not drawings:
        return None
    if shared_only and (record is None or not record.shared_with_parents):
        return None
    parts: dict[str, dict[str, Any]] = {
        part: {
            "text": getattr(record, part) if record is not None else "",
            "photos": [{**_photo(p), "house": part} for p in drawings if p.house == part],
        }
        for part in HOUSE_PARTS
    }
    if not any(v["text"].strip() or v["photos"] for v in parts.values()):
        return None
    return {
        "shared_with_parents": record is not None and record.shared_with_parents,
        **parts,
    }


def report_photos(snap: dict[str, Any]) -> list[dict[str, Any]]:
    """Every photo a published snapshot shows: the board's, then the houses' drawings."""
    houses = snap.get("houses") or {}
    return [
        *snap["photos"],
        *(p for part in HOUSE_PARTS for p in houses.get(part, {}).get("photos", [])),
    ]


def _review(previous: Meeting) -> dict[str, Any]:
    """What was agreed at the last meeting, and how it went (said at this one)."""
    return {
        "starts_at": previous.starts_at.isoformat(),
        "agreements": [
            {"what": a.what, "owner": a.owner, "outcome": a.outcome}
            for a in _live(Agreement, previous.id)
        ],
    }


def _scaling(meetings: list[Meeting]) -> dict[str, Any]:
    """The scaling answers of the course up to this meeting: one line per person (role and
    name as said at the table), with a value or None per meeting."""
    index = {m.id: i for i, m in enumerate(meetings)}
    answers = db.session.scalars(
        select(ScalingAnswer)
        .where(ScalingAnswer.meeting_id.in_(index), ScalingAnswer.deleted_at.is_(None))
        .order_by(ScalingAnswer.created_at, ScalingAnswer.id)
    )
    series: dict[tuple[str, str], list[int | None]] = {}
    for answer in answers:
        values = series.setdefault((answer.role, answer.name), [None] * len(meetings))
        values[index[answer.meeting_id]] = answer.value
    return {
        "meetings": len(meetings),
        "series": [
            {"role": role, "name": name, "values": values}
            for (role, name), values in series.items()
        ],
    }


def _next_meeting(meeting: Meeting) -> dict[str, Any] | None:
    """The next meeting's time (and place, once that meeting is planned)."""
    if meeting.next_meeting_at is None:
        return None
    planned = db.session.scalar(
        select(Meeting)
        .where(
            Meeting.course_id == meeting.course_id,
            Meeting.id != meeting.id,
            Meeting.deleted_at.is_(None),
            Meeting.starts_at > meeting.starts_at,
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    starts_at = meeting.next_meeting_at
    place = meeting.place
    if planned is not None and planned.starts_at == meeting.next_meeting_at:
        place = planned.place or place
    return {"starts_at": starts_at.isoformat(), "place": place}
