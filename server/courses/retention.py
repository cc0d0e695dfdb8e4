"""Deleting closed courses once their retention period is over (``flask retention``).

Everything of the course goes: its documents, meetings and every part of them, reports (and
their kept pages) and their receipts, filings' records, consents, tasks, members, the values
that lost on any of them (conflicts); and from the object store its filed archives and the
photos (with their thumbnails and display copies) and document files no remaining record
uses. Photos uploaded but never named by any record are deleted ORPHAN_DAYS after their
upload. The child and the
guardians stay (they may have another course), and so does the audit log, which records the
deletion and names no content. Tablets drop the course at their next pull (its sync scope
is gone: PROTOCOL.md, "access_ended"), and the conflicts at their authors' next pull.
Stored push answers name conflicts by id only (server/sync/push.py), so nothing else keeps a
copy of the course's texts; tests/server/test_retention_traces.py searches every column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, or_, select

from server import audit
from server.blob_store import blob_store, object_store
from server.courses.attachments import remove_unused
from server.extensions import db
from server.models import (
    SYNC_TABLES,
    Agreement,
    Attachment,
    BlobUpload,
    BoardNote,
    BoardPhoto,
    Consent,
    Course,
    CourseMember,
    Filing,
    Meeting,
    Minutes,
    ParentComment,
    Participant,
    Report,
    ReportPage,
    ReportReading,
    ScalingAnswer,
    SyncConflict,
    Task,
)
from server.models._common import utcnow
from server.reports.filing import archive_key

# Uploaded photos no record names are deleted this long after their upload.
ORPHAN_DAYS = 30

# Children before parents, so foreign keys hold at every step.
_BY_COURSE: tuple[Any, ...] = (Attachment, ReportReading, ParentComment, Filing, ReportPage,
                               Report,
                               BoardNote, BoardPhoto, Agreement, Minutes, ScalingAnswer,
                               Participant, Task, Consent, Meeting)


@dataclass
class Deleted:
    """What a retention run removed."""

    courses: list[str] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    filed: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)


def expired(now: datetime, days: int) -> list[Course]:
    """Closed or handed-over courses closed more than ``days`` days before ``now``."""
    return list(db.session.scalars(
        select(Course).where(Course.status.in_(("closed", "handed_over")),
                             Course.closed_at.is_not(None),
                             Course.closed_at < now - timedelta(days=days))
        .order_by(Course.closed_at)
    ))


def forget_conflicts(course_id: str) -> None:
    """The values that lost on the course's records lose their content and are deleted.

    A conflict lives in its author's sync scope, not the course's, so a purge of the course
    does not reach it on a device: it is kept as a deleted record without its values, which
    every device of its author learns at its next pull, and nothing of the text remains.
    Conflicts made before they carried the course of a course record are found by record."""
    for conflict in db.session.scalars(select(SyncConflict).where(or_(
            SyncConflict.course_id == course_id,
            (SyncConflict.entity == "course") & (SyncConflict.record_id == course_id)))):
        conflict.value = None
        conflict.winning_value = None
        conflict.resolved = True
        if conflict.deleted_at is None:
            conflict.deleted_at = utcnow()


def delete_courses(courses: list[Course]) -> Deleted:
    """Delete the courses and the stored files only they used; one audit entry per course."""
    result = Deleted()
    stored = _StoredFiles()
    for course in courses:
        stored.collect(course.id)
        meetings = db.session.scalar(select(db.func.count()).where(Meeting.course_id == course.id))
        forget_conflicts(course.id)
        for model in _BY_COURSE:
            db.session.execute(delete(model).where(model.course_id == course.id))
        db.session.execute(delete(CourseMember).where(CourseMember.course_id == course.id))
        change = SYNC_TABLES.change
        db.session.execute(delete(change).where(change.c.scope == f"course:{course.id}"))
        db.session.execute(delete(Course).where(Course.id == course.id))
        audit.record("delete", "course", course.id, course.child_id,
                     f"retention: closed {course.closed_at:%Y-%m-%d}, {meetings} meetings")
        result.courses.append(course.id)
    db.session.commit()  # the records go first: a crash now leaves files, never dangling rows
    stored.delete(result)
    return result


@dataclass
class _StoredFiles:
    """The store's side of deleting courses: what they name, gathered before their rows go,
    deleted after (photos and documents only when no remaining record uses them)."""

    photos: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    filed: list[str] = field(default_factory=list)

    def collect(self, course_id: str) -> None:
        self.documents.update(db.session.scalars(
            select(Attachment.content_hash).where(Attachment.course_id == course_id)))
        self.photos.update(db.session.scalars(
            select(BoardPhoto.content_hash).where(BoardPhoto.course_id == course_id)))
        for filing, report in db.session.execute(
                select(Filing, Report).join(Report, Report.id == Filing.report_id)
                .where(Filing.course_id == course_id)):
            self.filed.append(archive_key(report, filing))

    def delete(self, result: Deleted) -> None:
        result.attachments = remove_unused(self.documents)
        result.photos = remove_unused_photos(self.photos)
        store = object_store()
        for key in self.filed:
            store.delete(key)
        result.filed = list(self.filed)


def remove_unused_photos(digests: set[str]) -> list[str]:
    """Delete the photos (and their copies and uploads) no board photo record names."""
    if not digests:
        return []
    used = set(db.session.scalars(
        select(BoardPhoto.content_hash).where(BoardPhoto.content_hash.in_(digests))))
    unused = sorted(digests - used)
    photos = blob_store()
    for digest in unused:
        photos.delete(digest)
    if unused:
        db.session.execute(delete(BlobUpload).where(BlobUpload.content_hash.in_(unused)))
        db.session.commit()
    return unused


def delete_orphan_uploads(now: datetime, days: int = ORPHAN_DAYS) -> list[str]:
    """Photos uploaded more than ``days`` ago that no record has ever named (the tablet
    uploads a photo just before it sends the record, so such a photo was discarded or its
    record refused): nobody can read them, and a child's board is not kept for nothing."""
    named = select(BoardPhoto.id).where(BoardPhoto.content_hash == BlobUpload.content_hash)
    stale = set(db.session.scalars(
        select(BlobUpload.content_hash)
        .where(BlobUpload.created_at < now - timedelta(days=days), ~exists(named))))
    recent = set(db.session.scalars(select(BlobUpload.content_hash).where(
        BlobUpload.content_hash.in_(stale), BlobUpload.created_at >= now - timedelta(days=days))))
    return remove_unused_photos(stale - recent)
