"""Deleting what is kept no longer (``flask retention``): courses, then children, then the log.

- **A course** closed or handed over more than ``RETENTION_DAYS`` ago, or deleted by staff
  (``deleted_at``) that long ago, goes with every row that hangs on it through a foreign key
  — found in the metadata (``hanging_on``), so a new table cannot be forgotten: meetings and
  every part of them, reports, their pages, readings and parents' comments, filings,
  consents, tasks, members, and the outbox messages about it (agenda letters with their PDF,
  consent requests, report notices) whatever their state. With it go its change log, the
  values that lost on its records (conflicts), outbox messages that name no course but were
  queued to its child's guardians while it was open (queued before migration 0012), and
  from the object store its filed archives and the photos and documents no remaining record
  uses.
- **A course whose filing is not acknowledged** is kept, past its time or not: the case
  system does not have the report yet, and it exists nowhere else (``kept``; issue 22).
  ``flask retention`` names each and why; it goes in the first run after its filing is
  acknowledged (server/filing/send.py).
- **A child** with no course left whose record was made more than ``RETENTION_DAYS`` ago goes
  with its guardians and all that hangs on them (their links, phone sessions, messages), its
  change log and the values that lost on them. A course is deleted ``RETENTION_DAYS`` after
  it closed, and its child was registered before it, so a child goes in the same run as its
  last course; a child registered without a course goes ``RETENTION_DAYS`` after that.
- **Audit entries** go ``AUDIT_RETENTION_DAYS`` after they were written, not with the course
  or child they are about: they name people and record ids, never content, and they answer
  who saw a child's data after the data is gone (docs/deploying.md).

Tables that refer to a course, child or guardian without a foreign key are handled by hand
(``BY_HAND``); tests/attack/test_retention_trace.py fails if a table is in neither, and
searches every column and stored file for a course's texts after a run. Tablets drop the
course and child at their next pull (the sync scopes are gone: PROTOCOL.md,
"access_ended"), and the conflicts at their authors' next pull.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table, and_, delete, exists, false, func, or_, select

from server import audit
from server.courses.attachments import remove_unused
from server.extensions import db
from server.filing.archive import archive_key
from server.models import (
    SYNC_TABLES,
    Attachment,
    AuditEntry,
    BlobUpload,
    BoardPhoto,
    Child,
    Course,
    Filing,
    Guardian,
    Meeting,
    OutboundMessage,
    Report,
    SyncConflict,
)
from server.models._common import utcnow
from server.photos.store import blob_store, object_store

# Uploaded photos no record names are deleted this long after their upload.
ORPHAN_DAYS = 30

# The records retention deletes, and everything hanging on them through foreign keys.
ROOTS = ("course", "child")

# Tables that name a course, child or guardian without a foreign key, and who deletes their
# rows (the test of the class checks that every such table is here or reached by a key).
BY_HAND: dict[str, str] = {
    "sync_change": "_delete: the change log of the course:<id> and child:<id> scopes",
    "sync_conflict": "_delete: values that lost on a course's, child's, guardian's records",
    "audit_entry": "delete_old_audit: entries older than AUDIT_RETENTION_DAYS",
}


@dataclass
class Deleted:
    """What a retention run removed."""

    courses: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows deleted
    photos: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    filed: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Kept:
    """A course past its time that retention keeps, and why (``flask retention`` says it)."""

    course_id: str
    filing_id: str
    state: str
    reason: str

    def __str__(self) -> str:
        why = f": {self.reason}" if self.reason else ""
        return (
            f"kept course {self.course_id}: its filing {self.filing_id} is not acknowledged "
            f"by the case system ({self.state}{why})"
        )


def expired(now: datetime, days: int) -> list[Course]:
    """Courses closed or handed over, or deleted by staff, more than ``days`` days ago,
    but for those ``kept``."""
    held = {k.course_id for k in kept(now, days)}
    return [c for c in _past(now, days) if c.id not in held]


def kept(now: datetime, days: int) -> list[Kept]:
    """Courses past their time whose filing the receiving side has not acknowledged: the
    report exists nowhere else, so deleting the course would lose the record the
    municipality must keep (issue 22). They go in the first run after the filing job has it
    acknowledged."""
    past = [c.id for c in _past(now, days)]
    if not past:
        return []
    waiting = db.session.scalars(
        select(Filing)
        .where(
            Filing.course_id.in_(past),
            Filing.acknowledged_at.is_(None),
            Filing.report_id.is_not(None),
            Filing.deleted_at.is_(None),
        )
        .order_by(Filing.course_id, Filing.filed_at, Filing.id)
    )
    found: dict[str, Kept] = {}
    for filing in waiting:
        found.setdefault(
            filing.course_id, Kept(filing.course_id, filing.id, filing.state, filing.last_error)
        )
    return list(found.values())


def _past(now: datetime, days: int) -> list[Course]:
    cutoff = now - timedelta(days=days)
    return list(
        db.session.scalars(
            select(Course)
            .where(
                or_(
                    and_(
                        Course.status.in_(("closed", "handed_over")),
                        Course.closed_at.is_not(None),
                        Course.closed_at < cutoff,
                    ),
                    and_(Course.deleted_at.is_not(None), Course.deleted_at < cutoff),
                )
            )
            .order_by(Course.closed_at, Course.id)
        )
    )


def childless(now: datetime, days: int, leaving: Collection[str] = ()) -> list[Child]:
    """Children registered more than ``days`` days ago with no course but ``leaving``."""
    other = select(Course.id).where(Course.child_id == Child.id, Course.id.not_in(list(leaving)))
    return list(
        db.session.scalars(
            select(Child)
            .where(Child.created_at < now - timedelta(days=days), ~exists(other))
            .order_by(Child.created_at, Child.id)
        )
    )


def hanging_on(seeds: dict[str, ColumnElement[bool]]) -> list[tuple[Table, ColumnElement[bool]]]:
    """Every table with rows that hang on the seeded rows through foreign keys (directly or
    through other such rows), with the condition that picks them; dependants first, so each
    can be deleted while the rows it names still exist.

    Read from the metadata: a table added later with a key to a course, child or guardian
    (or to any of their records) is deleted with them without anyone remembering it."""
    conditions: dict[Table, ColumnElement[bool]] = {}
    for table in db.metadata.sorted_tables:  # every table after those it refers to
        terms = [seeds[table.name]] if table.name in seeds else []
        terms += [
            key.parent.in_(select(key.column).where(conditions[key.column.table]))
            for key in sorted(table.foreign_keys, key=lambda k: k.parent.name)
            if key.column.table in conditions and key.column.table is not table
        ]
        if terms:
            conditions[table] = or_(*terms)
    return list(reversed(conditions.items()))


@dataclass
class Plan:
    """What a run at ``now`` deletes, chosen before anything is: the dry run shows it."""

    now: datetime
    courses: list[Course]
    children: list[Child]

    @classmethod
    def make(cls, now: datetime, days: int) -> Plan:
        courses = expired(now, days)
        return cls(now, courses, childless(now, days, {c.id for c in courses}))

    def rows(self) -> list[tuple[Table, ColumnElement[bool]]]:
        seeds: dict[str, ColumnElement[bool]] = {
            "course": Course.id.in_([c.id for c in self.courses]),
            "child": Child.id.in_([c.id for c in self.children]),
            "outbound_message": or_(
                false(), *(_unnamed_messages(c, self.now) for c in self.courses)
            ),
        }
        return hanging_on(seeds)

    def counts(self, audit_days: int) -> dict[str, int]:
        """Rows per table (those with any), the audit entries past their time included."""
        found = {
            table.name: int(
                db.session.scalar(select(func.count()).select_from(table).where(condition)) or 0
            )
            for table, condition in self.rows()
        }
        found["audit_entry"] = int(
            db.session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.at < self.now - timedelta(days=audit_days))
            )
            or 0
        )
        return {name: n for name, n in sorted(found.items()) if n}


def _unnamed_messages(course: Course, now: datetime) -> ColumnElement[bool]:
    """Messages that name no course, queued to the child's guardians while it was open (made
    before messages named their course, or by a sender that did not say): they may carry
    its place, its board, its agreements."""
    ended = course.closed_at or course.deleted_at or now
    return and_(
        OutboundMessage.course_id.is_(None),
        OutboundMessage.guardian_id.in_(
            select(Guardian.id).where(Guardian.child_id == course.child_id)
        ),
        OutboundMessage.created_at >= course.created_at,
        OutboundMessage.created_at <= ended,
    )


def forget_conflicts(course_id: str) -> None:
    """The values that lost on the course's records lose their content and are deleted.

    A conflict lives in its author's sync scope, not the course's, so a purge of the course
    does not reach it on a device: it is kept as a deleted record without its values, which
    every device of its author learns at its next pull, and nothing of the text remains.
    Conflicts made before they carried the course of a course record are found by record."""
    _forget(
        or_(
            SyncConflict.course_id == course_id,
            (SyncConflict.entity == "course") & (SyncConflict.record_id == course_id),
        )
    )


def _forget(which: ColumnElement[bool]) -> None:
    for conflict in db.session.scalars(select(SyncConflict).where(which)):
        conflict.value = None
        conflict.winning_value = None
        conflict.resolved = True
        if conflict.deleted_at is None:
            conflict.deleted_at = utcnow()


def delete_courses(courses: list[Course], now: datetime | None = None) -> Deleted:
    """Delete the courses and the stored files only they used; one audit entry per course."""
    return _delete(Plan(now or utcnow(), courses, []))


def delete_children(children: list[Child], now: datetime | None = None) -> Deleted:
    """Delete children that have no course (``childless``) with their guardians and all that
    hangs on them; one audit entry per child."""
    return _delete(Plan(now or utcnow(), [], children))


def _delete(plan: Plan) -> Deleted:
    result = Deleted()
    stored = _StoredFiles()
    meetings: dict[str, int] = {}
    for course in plan.courses:
        stored.collect(course.id)
        meetings[course.id] = int(
            db.session.scalar(select(func.count()).where(Meeting.course_id == course.id)) or 0
        )
        forget_conflicts(course.id)
    children = [c.id for c in plan.children]
    if children:
        guardians = select(Guardian.id).where(Guardian.child_id.in_(children))
        _forget(
            or_(
                (SyncConflict.entity == "child") & SyncConflict.record_id.in_(children),
                (SyncConflict.entity == "guardian") & SyncConflict.record_id.in_(guardians),
            )
        )
    db.session.flush()
    for table, condition in plan.rows():
        done = db.session.execute(
            delete(table).where(condition).execution_options(synchronize_session=False)
        )
        if count := getattr(done, "rowcount", 0):
            result.rows[table.name] = count
    scopes = [f"course:{c.id}" for c in plan.courses] + [f"child:{c}" for c in children]
    change = SYNC_TABLES.change
    db.session.execute(delete(change).where(change.c.scope.in_(scopes)))
    for course in plan.courses:
        ended = course.closed_at or course.deleted_at
        audit.record(
            "delete",
            "course",
            course.id,
            course.child_id,
            f"retention: closed {ended:%Y-%m-%d}, {meetings[course.id]} meetings"
            if ended
            else "retention",
        )
        result.courses.append(course.id)
    for child_id in children:
        audit.record("delete", "child", child_id, child_id, "retention: no course left")
        result.children.append(child_id)
    db.session.commit()  # the records go first: a crash now leaves files, never dangling rows
    stored.delete(result)
    return result


def delete_old_audit(now: datetime, days: int) -> int:
    """Delete the audit entries written more than ``days`` days before ``now``."""
    done = db.session.execute(delete(AuditEntry).where(AuditEntry.at < now - timedelta(days=days)))
    db.session.commit()
    return int(getattr(done, "rowcount", 0) or 0)


@dataclass
class _StoredFiles:
    """The store's side of deleting courses: what they name, gathered before their rows go,
    deleted after (photos and documents only when no remaining record uses them)."""

    photos: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    filed: list[str] = field(default_factory=list)

    def collect(self, course_id: str) -> None:
        self.documents.update(
            db.session.scalars(
                select(Attachment.content_hash).where(Attachment.course_id == course_id)
            )
        )
        self.photos.update(
            db.session.scalars(
                select(BoardPhoto.content_hash).where(BoardPhoto.course_id == course_id)
            )
        )
        for filing, report in db.session.execute(
            select(Filing, Report)
            .join(Report, Report.id == Filing.report_id)
            .where(Filing.course_id == course_id)
        ):
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
    used = set(
        db.session.scalars(
            select(BoardPhoto.content_hash).where(BoardPhoto.content_hash.in_(digests))
        )
    )
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
    stale = set(
        db.session.scalars(
            select(BlobUpload.content_hash).where(
                BlobUpload.created_at < now - timedelta(days=days), ~exists(named)
            )
        )
    )
    recent = set(
        db.session.scalars(
            select(BlobUpload.content_hash).where(
                BlobUpload.content_hash.in_(stale),
                BlobUpload.created_at >= now - timedelta(days=days),
            )
        )
    )
    return remove_unused_photos(stale - recent)
