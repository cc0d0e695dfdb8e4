"""The legal and process rules of a trivselsforløb, enforced on every write path.

Source: the municipality's process document (shared/seeds): "Der kan som udgangspunkt
afholdes maks. 5 trivselsmøder. Den samlede varighed af et forløb er maksimalt 6 måneder",
and the family unit "sikrer at der er aftalt dato for opfølgningsmøder inden mødet afsluttes".
Every change of a record, through REST or a sync push, passes the one write path
(``server/common/write.py``), which runs the kind's check from here, so the rules cannot be
bypassed.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any

from sqlalchemy import select

from server.errors import ApiError
from server.extensions import db
from server.models import Consent, Course, Guardian, Meeting, User
from server.models._common import utcnow

MAX_MEETINGS = 5
MAX_MONTHS = 6
OPEN_STATUSES = ("active", "awaiting_counsellor")


class RuleViolation(ApiError):
    """A process rule refused a change (422 with a code naming the rule)."""

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(422, message, code, {field: [message]})


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later, clamped to the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def course_meetings(course_id: str) -> list[Meeting]:
    """The course's meetings that are not deleted, in time order."""
    rows = db.session.scalars(
        select(Meeting)
        .where(Meeting.course_id == course_id, Meeting.deleted_at.is_(None))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(rows)


def window_end(meetings: list[Meeting]) -> datetime | None:
    """The last moment a meeting of the course may take place (6 months after the first)."""
    return add_months(meetings[0].starts_at, MAX_MONTHS) if meetings else None


def check_course(course: Course, changed: set[str], _before: dict[str, Any]) -> None:
    """A course is led by an active member of the family unit."""
    if "leader_id" in changed or "id" in changed:
        leader = db.session.scalar(
            select(User).where(
                User.id == course.leader_id, User.role == "family_unit", User.active.is_(True)
            )
        )
        if leader is None:
            raise RuleViolation(
                "leader_not_family_unit",
                "The leader must be an active member of staff from the family unit.",
                "leader_id",
            )


def check_consent(consent: Consent, _changed: set[str], _before: dict[str, Any]) -> None:
    """A consent is given by a guardian of the course's child."""
    course = db.session.get(Course, consent.course_id)
    guardian = db.session.get(Guardian, consent.guardian_id)
    if guardian is None or course is None or guardian.child_id != course.child_id:
        raise RuleViolation(
            "guardian_not_of_child", "The guardian is not a guardian of the course's child.",
            "guardian_id",
        )


def meeting_rules(meeting: Meeting, changed: set[str], before: dict[str, Any]) -> None:
    """The meeting rules as a kind's check (``before`` holds the status before the change)."""
    check_meeting(meeting, changed, before.get("status") == "finished")


def check_meeting(meeting: Meeting, changed: set[str], was_finished: bool) -> None:
    """Refuse a meeting change that breaks a rule; apply the effects of finishing it."""
    course = db.session.get(Course, meeting.course_id)
    if course is None or course.deleted_at is not None:
        raise RuleViolation("course_missing", "The course does not exist.", "course_id")
    db.session.flush()
    meetings = course_meetings(course.id)
    if meeting.deleted_at is None:
        _check_place_in_course(course, meeting, meetings, changed)
    if meeting.status == "finished" and not was_finished:
        _check_finish(meeting, meetings)
        _apply_finish(course, meeting)
    elif was_finished and meeting.status != "finished":
        raise RuleViolation(
            "meeting_finished", "A finished meeting cannot be reopened.", "status"
        )


def _check_place_in_course(
    course: Course, meeting: Meeting, meetings: list[Meeting], changed: set[str]
) -> None:
    if not changed & {"kind", "starts_at", "course_id", "id"}:
        return
    if course.status not in OPEN_STATUSES:
        raise RuleViolation(
            "course_closed", "The course is closed; no meetings can be added or moved.",
            "course_id",
        )
    if len(meetings) > MAX_MEETINGS:
        raise RuleViolation(
            "too_many_meetings",
            f"A course has at most {MAX_MEETINGS} meetings.",
            "course_id",
        )
    first = meetings[0]
    if first.kind != "start":
        raise RuleViolation(
            "first_meeting_not_start",
            "The first meeting of a course must be a start meeting.",
            "kind",
        )
    if sum(1 for m in meetings if m.kind == "start") > 1:
        raise RuleViolation(
            "second_start_meeting", "A course has only one start meeting.", "kind"
        )
    end = window_end(meetings)
    late = [m for m in meetings if end is not None and m.starts_at > end]
    if late:
        raise RuleViolation(
            "outside_course_window",
            f"A course lasts at most {MAX_MONTHS} months: no meeting may be later than "
            f"{end:%Y-%m-%d}.",
            "starts_at",
        )


def _check_finish(meeting: Meeting, meetings: list[Meeting]) -> None:
    if meeting.child_participation is None:
        raise RuleViolation(
            "child_participation_missing",
            "Record whether the child took part in the whole meeting, part of it or none.",
            "child_participation",
        )
    if meeting.child_participation != "whole" and not meeting.child_perspective.strip():
        raise RuleViolation(
            "child_perspective_missing",
            "The child did not take part in the whole meeting: record the child's perspective.",
            "child_perspective",
        )
    if meeting.kind == "closing":
        return
    if len(meetings) >= MAX_MEETINGS and meetings[-1].id == meeting.id:
        raise RuleViolation(
            "last_meeting_must_close",
            f"This is meeting {MAX_MEETINGS} of {MAX_MEETINGS}: it must be the closing meeting.",
            "kind",
        )
    next_at = meeting.next_meeting_at
    if next_at is None:
        raise RuleViolation(
            "next_meeting_missing",
            "Set the date of the next meeting before finishing this one.",
            "next_meeting_at",
        )
    if next_at <= meeting.starts_at:
        raise RuleViolation(
            "next_meeting_before",
            "The next meeting must be after this one.",
            "next_meeting_at",
        )
    end = window_end(meetings)
    if end is not None and next_at > end:
        raise RuleViolation(
            "next_meeting_outside_window",
            f"The next meeting must be no later than {end:%Y-%m-%d}, six months after the "
            "first meeting.",
            "next_meeting_at",
        )


def _apply_finish(course: Course, meeting: Meeting) -> None:
    from server.courses.followup import make_follow_up_tasks

    meeting.finished_at = meeting.finished_at or utcnow()
    make_follow_up_tasks(course, meeting)
    if meeting.underretning and course.status == "active":
        # After an underretning the course waits for the child counsellor to take over,
        # even after a closing meeting; recording the hand-over closes it (hand_over below).
        course.status = "awaiting_counsellor"
    elif meeting.kind == "closing" and course.status == "active":
        course.status = "closed"
        course.closed_at = utcnow()


def hand_over(course: Course) -> None:
    """Record that the child counsellor has taken over: the course closes as handed over."""
    if course.status != "awaiting_counsellor":
        raise RuleViolation(
            "not_awaiting_counsellor",
            "Only a course waiting for the child counsellor (after an underretning) can be "
            "handed over.", "status")
    course.status = "handed_over"
    course.closed_at = utcnow()
