"""Deleting closed courses once their retention period is over (``flask retention``).

Everything of the course goes: its documents, meetings and every part of them, reports and
their receipts, filings' records, consents, tasks, members and conflicts, and the photos and
document files no other record uses. The child and the guardians stay (they may have another
course), and so does the audit log, which records the deletion. Tablets drop the course at
their next pull (its sync scope is gone: PROTOCOL.md, "access_ended").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from server import audit
from server.blob_store import blob_store
from server.courses.attachments import remove_unused
from server.extensions import db
from server.models import (
    SYNC_TABLES,
    Agreement,
    Attachment,
    BoardNote,
    BoardPhoto,
    Consent,
    Course,
    CourseMember,
    Filing,
    Meeting,
    Minutes,
    Participant,
    Report,
    ReportReading,
    SyncConflict,
    Task,
)

# Children before parents, so foreign keys hold at every step.
_BY_COURSE: tuple[Any, ...] = (Attachment, ReportReading, Filing, Report, BoardNote, BoardPhoto,
                               Agreement, Minutes, Participant, Task, Consent, SyncConflict,
                               Meeting)


@dataclass
class Deleted:
    """What a retention run removed."""

    courses: list[str] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def expired(now: datetime, days: int) -> list[Course]:
    """Closed or handed-over courses closed more than ``days`` days before ``now``."""
    return list(db.session.scalars(
        select(Course).where(Course.status.in_(("closed", "handed_over")),
                             Course.closed_at.is_not(None),
                             Course.closed_at < now - timedelta(days=days))
        .order_by(Course.closed_at)
    ))


def delete_courses(courses: list[Course]) -> Deleted:
    """Delete the courses and the photos only they used; one audit entry per course."""
    result = Deleted()
    hashes: set[str] = set()
    documents: set[str] = set()
    for course in courses:
        documents.update(db.session.scalars(
            select(Attachment.content_hash).where(Attachment.course_id == course.id)))
        hashes.update(db.session.scalars(
            select(BoardPhoto.content_hash).where(BoardPhoto.course_id == course.id)))
        meetings = db.session.scalar(select(db.func.count()).where(Meeting.course_id == course.id))
        for model in _BY_COURSE:
            db.session.execute(delete(model).where(model.course_id == course.id))
        db.session.execute(delete(CourseMember).where(CourseMember.course_id == course.id))
        change = SYNC_TABLES.change
        db.session.execute(delete(change).where(change.c.scope == f"course:{course.id}"))
        db.session.execute(delete(Course).where(Course.id == course.id))
        audit.record("delete", "course", course.id, course.child_id,
                     f"retention: closed {course.closed_at:%Y-%m-%d}, {meetings} meetings")
        result.courses.append(course.id)
    still_used = set(db.session.scalars(
        select(BoardPhoto.content_hash).where(BoardPhoto.content_hash.in_(hashes))))
    db.session.commit()  # the records go first: a crash now leaves files, never dangling rows
    result.attachments = remove_unused(documents)
    store = blob_store()
    for digest in sorted(hashes - still_used):
        original = store.path(digest)
        for path in (original, store.path(digest, "thumb"),
                     original.with_name(f"{digest}.display.jpg")):
            path.unlink(missing_ok=True)
        result.photos.append(digest)
    return result
