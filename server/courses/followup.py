"""Follow-up tasks, made when a meeting is finished (the seeds' steps after each meeting).

The family unit publishes and files the report and sends the next agenda; the institution
follows up with the parents, and with the child when the child was not there the whole
meeting. Tasks are synced records: they reach every tablet and can be done offline.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from server.courses.rules import ENDED_STATUSES
from server.extensions import db
from server.models import Course, Filing, Meeting, Report, Task
from server.models._common import utcnow
from server.text.da import TASKS


def _task(
    course: Course,
    meeting: Meeting,
    kind: str,
    role: str,
    due: date,
    assignee_id: str | None = None,
) -> None:
    db.session.add(
        Task(
            course_id=course.id,
            meeting_id=meeting.id,
            kind=kind,
            title=TASKS[kind],
            assignee_role=role,
            assignee_id=assignee_id,
            due_date=due,
        )
    )


def make_follow_up_tasks(course: Course, meeting: Meeting) -> None:
    """The tasks that follow finishing ``meeting``."""
    today = utcnow().date()
    _task(
        course, meeting, "send_report", "family_unit", today + timedelta(days=2), course.leader_id
    )
    if meeting.kind != "closing" and meeting.next_meeting_at is not None:
        # The agenda goes out a week before the next meeting (at the latest tomorrow).
        agenda_due = max(
            meeting.next_meeting_at.date() - timedelta(days=7), today + timedelta(days=1)
        )
        _task(course, meeting, "send_agenda", "family_unit", agenda_due, course.leader_id)
    _task(course, meeting, "follow_up_parents", "educator", today + timedelta(days=7))
    if meeting.child_participation != "whole":
        _task(course, meeting, "follow_up_child", "educator", today + timedelta(days=3))
    if meeting.underretning:
        _task(
            course,
            meeting,
            "hand_over",
            "family_unit",
            today + timedelta(days=14),
            course.leader_id,
        )


def _done(model: type[Report] | type[Filing], meeting_id: str, stamp: str, made: object) -> bool:
    """Whether the meeting has a live ``model`` row with ``stamp`` set, counting ``made`` and
    any other row being made in this request (not flushed: its write is still under way)."""
    for obj in [made, *db.session.new]:
        if isinstance(obj, model) and obj.meeting_id == meeting_id and getattr(obj, stamp):
            return True
    with db.session.no_autoflush:
        return (
            db.session.scalar(
                select(model.id)
                .where(
                    model.meeting_id == meeting_id,
                    getattr(model, stamp).is_not(None),
                    model.deleted_at.is_(None),
                )
                .limit(1)
            )
            is not None
        )


def close_done_tasks(course: Course, made: Report | Filing | None = None) -> None:
    """Close the tasks whose work is done (issue 23): "send_report" once the meeting's report
    is published and its filing acknowledged by the case system (issue 22: sent is not
    filed), and the tasks only an open course needs ("send_agenda",
    "hand_over") once the course is closed. Called where those things happen (publishing,
    filing, finishing a meeting, the hand-over; ``made``: the publication or filing being
    made, not in the session yet); a task done already stays as it is."""
    now = utcnow()
    with db.session.no_autoflush:
        open_tasks = list(
            db.session.scalars(
                select(Task).where(
                    Task.course_id == course.id, Task.done_at.is_(None), Task.deleted_at.is_(None)
                )
            )
        )
    open_tasks += [
        t
        for t in db.session.new
        if isinstance(t, Task) and t.course_id == course.id and t.done_at is None
    ]
    for task in open_tasks:
        if task.kind == "send_report" and task.meeting_id is not None:
            if _done(Report, task.meeting_id, "published_at", made) and _done(
                Filing, task.meeting_id, "acknowledged_at", made
            ):
                task.done_at = now
        elif task.kind in ("send_agenda", "hand_over") and course.status in ENDED_STATUSES:
            task.done_at = now
