"""Publishing a report and filing it: the rules, run for REST and sync pushes alike.

Both are records the tablet creates (offline if need be); the server does the work when it
accepts the record, so a publication queued at the table happens on reconnection, and a
refusal (a photo not yet uploaded) comes back to the tablet like any rejected change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from server import audit
from server.courses.checks import RuleViolation
from server.courses.followup import close_done_tasks
from server.errors import ApiError
from server.extensions import db
from server.models import Course, Filing, Guardian, Meeting, Report, User
from server.models._common import utcnow
from server.parents import guardian_access
from server.photos.access import backed_photo_ids
from server.reports.compose import compose, report_photos
from server.reports.frozen import freeze


def latest_report(meeting_id: str) -> Report | None:
    """The newest published version of a meeting's report."""
    return db.session.scalar(
        select(Report)
        .where(Report.meeting_id == meeting_id, Report.deleted_at.is_(None))
        .order_by(Report.number.desc())
        .limit(1)
    )


def _leader_only(meeting: Meeting, user: User) -> Course:
    course = db.session.get(Course, meeting.course_id)
    assert course is not None
    if course.leader_id != user.id:
        raise ApiError(
            403, "Only the course's leader can publish or file its reports.", "not_leader"
        )
    return course


def publish(report: Report, meeting: Meeting, user: User) -> None:
    """Fill in a new report version from the meeting as it is now; tell the guardians."""
    course = _leader_only(meeting, user)
    if meeting.status != "finished":
        raise RuleViolation(
            "meeting_not_finished", "Finish the meeting before publishing its report.", "meeting_id"
        )
    snapshot = compose(meeting)
    # A photo counts only once its author has uploaded its bytes (server/photos/access.py):
    # a record naming somebody else's photo never reaches the parents.
    shown = report_photos(snapshot)  # the board's, then the shared houses' drawings
    backed = backed_photo_ids(p["id"] for p in shown)
    positions = [str(i + 1) for i, p in enumerate(shown) if p["id"] not in backed]
    if positions:
        raise RuleViolation(
            "photos_missing",
            f"Board photo {', '.join(positions)} has not reached the server yet; "
            "publish once every photo is uploaded.",
            "meeting_id",
        )
    # Two tablets publishing the same meeting at once: the meeting's row lock makes the
    # second wait and take the next number (PostgreSQL; SQLite has one writer anyway).
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    number = db.session.scalar(
        select(func.coalesce(func.max(Report.number), 0)).where(Report.meeting_id == meeting.id)
    )
    report.course_id = meeting.course_id
    report.number = int(number or 0) + 1
    report.snapshot = snapshot
    report.published_at = utcnow()
    report.published_by_id = user.id
    report.published_by_name = user.name
    audit.record("publish", "report", report.id, course.child_id, f"version {report.number}")
    freeze(report)  # its page, made once (frozen.py)
    guardians = db.session.scalars(
        select(Guardian).where(Guardian.child_id == course.child_id, Guardian.deleted_at.is_(None))
    )
    for guardian in guardians:
        guardian_access.invite(guardian, user, meeting.starts_at, course.id, about=meeting.id)
    close_done_tasks(course, made=report)  # "publish and file": done once both are


def file_report(filing: Filing, meeting: Meeting, user: User) -> None:
    """Send the newest published version to the case system and record who filed it; it
    is filed once the receiving side acknowledges it (server/filing/send.py)."""
    from server.filing.send import attempt

    course = _leader_only(meeting, user)
    report = latest_report(meeting.id)
    if report is None:
        raise RuleViolation(
            "report_not_published", "Publish the report before filing it.", "meeting_id"
        )
    filing.course_id = meeting.course_id
    filing.report_id = report.id
    filing.filed_at = utcnow()
    filing.filed_by_id = user.id
    filing.filed_by_name = user.name
    filing.state = "sent"
    attempt(filing, report)
    audit.record("file", "report", report.id, course.child_id, filing.location or filing.state)


def unchangeable(record: Any, changed: set[str], _before: dict[str, Any]) -> None:
    """Published versions and filings are history: correct by publishing a new version."""
    if changed and "id" not in changed:
        raise RuleViolation(
            "published_is_final",
            "A published report cannot be changed; publish a corrected version.",
            "id",
        )
