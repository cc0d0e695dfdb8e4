"""The process rules (``server/courses/rules.py``) applied to the database.

Every change of a record, through REST or a sync push, passes the one write path
(``server/records/write.py``), which runs the kind's check from here, so the rules cannot be
bypassed. A refusal is a 422 whose ``code`` names the rule and whose ``fields`` point at the
field to fix; the effects of a transition (a course closed, follow-up tasks) are applied here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from server.courses import rules
from server.errors import ApiError
from server.extensions import db
from server.goals.rules import PAIR_COLUMNS, NoteState, pair_refusal
from server.models import (
    Agreement,
    BoardNote,
    Consent,
    Course,
    GoalPair,
    GoalScore,
    Guardian,
    Houses,
    Meeting,
    Participant,
    ScalingAnswer,
    User,
)
from server.models._common import utcnow

# A tablet's clock may run ahead; the time a meeting was finished at the table is never
# later than the server's own clock by more than this (the sync clock's drift allowance).
HELD_AT_AHEAD = timedelta(seconds=60)


class RuleViolation(ApiError):
    """A process rule refused a change (422 with a code naming the rule)."""

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(422, message, code, {field: [message]})


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
    return rules.add_months(meetings[0].starts_at, rules.MAX_MONTHS) if meetings else None


def state_of(meeting: Meeting) -> rules.MeetingState:
    return rules.MeetingState(
        id=meeting.id,
        kind=meeting.kind,
        starts_at=meeting.starts_at,
        status=meeting.status,
        child_participation=meeting.child_participation,
        child_perspective=meeting.child_perspective or "",
        next_meeting_at=meeting.next_meeting_at,
        underretning=bool(meeting.underretning),
        deleted=meeting.deleted_at is not None,
    )


def _raise_first(outcome: rules.Outcome) -> None:
    if outcome.refusals:
        first = outcome.refusals[0]
        raise RuleViolation(first.code, first.message, first.field)


def check_course(course: Course, changed: set[str], _before: dict[str, Any]) -> None:
    """A course is led by an active member of the family unit, and opened only for a child
    with at least one custody holder on record (they are the ones asked for consent, sent
    the agenda and the report: without one the course could not go on)."""
    if "id" in changed and (
        db.session.scalar(
            select(Guardian.id)
            .where(
                Guardian.child_id == course.child_id,
                Guardian.has_custody.is_(True),
                Guardian.deleted_at.is_(None),
            )
            .limit(1)
        )
        is None
    ):
        raise RuleViolation(
            "no_custody_holder",
            "Record at least one guardian with custody of the child before opening a course.",
            "child_id",
        )
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
            "guardian_not_of_child",
            "The guardian is not a guardian of the course's child.",
            "guardian_id",
        )


def meeting_rules(meeting: Meeting, changed: set[str], before: dict[str, Any]) -> None:
    """The meeting rules as a kind's check (``before`` holds the status before the change)."""
    check_meeting(meeting, changed, before.get("status") == "finished")


def check_meeting(meeting: Meeting, changed: set[str], was_finished: bool) -> None:
    """Refuse a meeting change that breaks a rule; apply the effects of its transition."""
    course = db.session.get(Course, meeting.course_id)
    if course is None or course.deleted_at is not None:
        raise RuleViolation("course_missing", "The course does not exist.", "course_id")
    db.session.flush()
    meetings = [state_of(m) for m in course_meetings(course.id)]
    if meeting.deleted_at is not None:
        meetings.append(state_of(meeting))
    outcome = rules.check(course.status, meetings, meeting.id, changed, was_finished)
    _raise_first(outcome)
    finishing = meeting.status == "finished" and not was_finished
    if finishing or ("held_at" in changed and meeting.held_at is not None):
        meeting.held_at = _clamped_held_at(course, meeting)
    if finishing:
        _apply_finish(course, meeting, outcome.status)


def _clamped_held_at(course: Course, meeting: Meeting) -> datetime:
    """When the meeting was finished at the table: the tablet's clock (offline too), kept
    within what is possible — not after the server's now (a clock running ahead), not before
    the course or its first meeting (a clock set years back). Without one: now."""
    now = utcnow()
    held = meeting.held_at or now
    first = db.session.scalar(
        select(Meeting.starts_at)
        .where(Meeting.course_id == course.id, Meeting.deleted_at.is_(None))
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    earliest = min(course.created_at or now, first or now) - timedelta(days=1)
    return min(max(held, earliest), now + HELD_AT_AHEAD)


def _apply_finish(course: Course, meeting: Meeting, status: str) -> None:
    from server.courses.followup import close_done_tasks, make_follow_up_tasks

    meeting.finished_at = meeting.finished_at or utcnow()
    make_follow_up_tasks(course, meeting)
    if status != course.status:
        course.status = status
        if status in rules.ENDED_STATUSES:
            course.closed_at = utcnow()
    close_done_tasks(course)  # a closed course needs no agenda sent, nor a hand-over


def hand_over(course: Course) -> None:
    """Record that the child counsellor has taken over: the course closes as handed over."""
    outcome = rules.hand_over(course.status)
    _raise_first(outcome)
    course.status = outcome.status
    course.closed_at = utcnow()
    from server.courses.followup import close_done_tasks

    close_done_tasks(course)


def check_agreement(agreement: Agreement, changed: set[str], _before: dict[str, Any]) -> None:
    """An agreement carried on continues one made at an earlier meeting of the same course."""
    if "carried_from_id" not in changed or agreement.carried_from_id is None:
        return
    earlier = db.session.get(Agreement, agreement.carried_from_id)
    meeting = db.session.get(Meeting, agreement.meeting_id)
    source = db.session.get(Meeting, earlier.meeting_id) if earlier is not None else None
    if (
        earlier is None
        or meeting is None
        or source is None
        or earlier.course_id != agreement.course_id
        or earlier.id == agreement.id
        or source.starts_at >= meeting.starts_at
    ):
        raise RuleViolation(
            "carried_from_elsewhere",
            "An agreement can only carry on one made at an earlier meeting of the course.",
            "carried_from_id",
        )


def check_scaling(answer: ScalingAnswer, changed: set[str], _before: dict[str, Any]) -> None:
    """A scaling answer is given by someone at its own meeting."""
    _answered_at_its_meeting(answer, changed)


def _answered_at_its_meeting(answer: ScalingAnswer | GoalScore, changed: set[str]) -> None:
    if "participant_id" not in changed or answer.participant_id is None:
        return
    person = db.session.get(Participant, answer.participant_id)
    if person is None or person.meeting_id != answer.meeting_id:
        raise RuleViolation(
            "participant_elsewhere", "The participant is not at this meeting.", "participant_id"
        )


def check_goal_pair(pair: GoalPair, changed: set[str], _before: dict[str, Any]) -> None:
    """A pair joins a worry and a goal written on the board of its own course
    (``server/goals/rules.py``, the tablet's rule too).

    A note the writer may not read was refused before this, like one that does not exist
    (``server/records/references.py``); here the note is readable, of another course."""
    notes: dict[str, NoteState | None] = {}
    for field in PAIR_COLUMNS:
        if field in changed:
            note = db.session.get(BoardNote, getattr(pair, field))
            notes[field] = (
                None if note is None else NoteState(note.course_id, note.column, note.deleted)
            )
    refusal = pair_refusal(pair.course_id, notes)
    if refusal is not None:
        raise RuleViolation(refusal.code, refusal.message, refusal.field)


def check_goal_score(score: GoalScore, changed: set[str], _before: dict[str, Any]) -> None:
    """A goal is scored for a pair of the meeting's course, by someone at the meeting."""
    if "goal_pair_id" in changed:
        pair = db.session.get(GoalPair, score.goal_pair_id)
        if pair is None or pair.deleted or pair.course_id != score.course_id:
            raise RuleViolation(
                "goal_pair_elsewhere", "The goal is not one of this course.", "goal_pair_id"
            )
    _answered_at_its_meeting(score, changed)


def check_houses(houses: Houses, changed: set[str], _before: dict[str, Any]) -> None:
    """A meeting has one record of the child's three houses (tablets derive its id from the
    meeting): a second one, under another id, would let its share choice speak for the
    drawings of the first, so it is refused, not merged."""
    if "meeting_id" not in changed:
        return
    other = db.session.scalar(
        select(Houses.id).where(
            Houses.meeting_id == houses.meeting_id,
            Houses.id != houses.id,
            Houses.deleted_at.is_(None),
        )
    )
    if other is not None:
        raise RuleViolation(
            "houses_exist", "The meeting has its three houses already.", "meeting_id"
        )
