"""Follow-up tasks, made when a meeting is finished (the seeds' steps after each meeting).

The family unit publishes and files the report and sends the next agenda; the institution
follows up with the parents, and with the child when the child was not there the whole
meeting. Tasks are synced records: they reach every tablet and can be done offline.
"""

from __future__ import annotations

from datetime import date, timedelta

from server.extensions import db
from server.models import Course, Meeting, Task
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
