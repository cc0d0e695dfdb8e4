"""The process rules of a trivselsforløb, as one state machine (no database here).

Source: the municipality's process document (shared/seeds): "Der kan som udgangspunkt
afholdes maks. 5 trivselsmøder. Den samlede varighed af et forløb er maksimalt 6 måneder",
and the family unit "sikrer at der er aftalt dato for opfølgningsmøder inden mødet afsluttes".

A course is in one of four states; meetings are added, moved, deleted and finished, and
each of these is an *event* that the table ``TRANSITIONS`` allows in some states (and says
where it leads) or not at all. On top, the meetings must stay a possible course: a start
meeting first, at most five, all within six months of the first, the fifth (if any) the
closing one, nothing after a closing meeting; and finishing a meeting needs what the seeds
ask for (the child's participation, a next date unless it is the closing meeting).

        add / move / delete a meeting, finish a meeting
            ┌──────┐
            ▼      │   finish the closing meeting
         active ───┴──────────────────────────────────► closed
            │ finish with an underretning
            ▼
      awaiting_counsellor ── hand_over ──► handed_over
            ▲      │  (meetings go on; a closing meeting keeps it waiting)
            └──────┘

No dead ends: a closing meeting can always be finished (it needs only the child's
participation); any other meeting can be finished as the closing one (``kind`` set in the same
change) when no next date fits, e.g. at the fifth meeting or at the end of the six months; a
course waiting for the counsellor can always be handed over. ``tests/server/test_course_
machine.py`` explores every state reachable from a new course and proves each has a way to
an end. The same machine is ``pwa/src/domain/rules.ts``; both run ``tests/rules/cases.json``.

``server/courses/checks.py`` applies it to the database on every write path.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

MAX_MEETINGS = 5
MAX_MONTHS = 6
OPEN_STATUSES = ("active", "awaiting_counsellor")
ENDED_STATUSES = ("closed", "handed_over")
PLACE_FIELDS = frozenset({"kind", "starts_at", "course_id", "id"})

# (course status, event) → course status after it. An event missing for a status is refused
# with the code in REFUSED_EVENTS.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("active", "add_meeting"): "active",
    ("active", "move_meeting"): "active",
    ("active", "delete_meeting"): "active",
    ("active", "finish"): "active",
    ("active", "finish_closing"): "closed",
    ("active", "underretning"): "awaiting_counsellor",
    ("awaiting_counsellor", "add_meeting"): "awaiting_counsellor",
    ("awaiting_counsellor", "move_meeting"): "awaiting_counsellor",
    ("awaiting_counsellor", "delete_meeting"): "awaiting_counsellor",
    ("awaiting_counsellor", "finish"): "awaiting_counsellor",
    # After an underretning the course waits for the child counsellor even after a closing
    # meeting; only the hand-over closes it.
    ("awaiting_counsellor", "finish_closing"): "awaiting_counsellor",
    ("awaiting_counsellor", "underretning"): "awaiting_counsellor",
    ("awaiting_counsellor", "hand_over"): "handed_over",
    ("closed", "delete_meeting"): "closed",
    ("handed_over", "delete_meeting"): "handed_over",
}
REFUSED_EVENTS: dict[str, tuple[str, str, str]] = {  # event → (code, field, message)
    "add_meeting": (
        "course_closed",
        "course_id",
        "The course is closed; no meetings can be added or moved.",
    ),
    "move_meeting": (
        "course_closed",
        "course_id",
        "The course is closed; no meetings can be added or moved.",
    ),
    "finish": (
        "course_ended",
        "status",
        "The course has ended; its meetings can no longer be finished.",
    ),
    "finish_closing": (
        "course_ended",
        "status",
        "The course has ended; its meetings can no longer be finished.",
    ),
    "underretning": (
        "course_ended",
        "status",
        "The course has ended; its meetings can no longer be finished.",
    ),
    "hand_over": (
        "not_awaiting_counsellor",
        "status",
        "Only a course waiting for the child counsellor (after an underretning) "
        "can be handed over.",
    ),
}


@dataclass(frozen=True)
class MeetingState:
    """What the rules need to know of a meeting."""

    id: str
    kind: str
    starts_at: datetime
    status: str = "planned"
    child_participation: str | None = None
    child_perspective: str = ""
    next_meeting_at: datetime | None = None
    underretning: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class CourseState:
    status: str
    meetings: tuple[MeetingState, ...]


@dataclass(frozen=True)
class Refusal:
    code: str
    field: str
    message: str


@dataclass(frozen=True)
class Outcome:
    """Every rule a change breaks, in the order they are checked (the server answers with
    the first), the events it is, and the course's status after it."""

    refusals: list[Refusal] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    status: str = "active"


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later, clamped to the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def in_order(meetings: Iterable[MeetingState]) -> list[MeetingState]:
    """Live meetings in the course's order: by time, then by id."""
    return sorted((m for m in meetings if not m.deleted), key=lambda m: (m.starts_at, m.id))


def window_end(live: list[MeetingState]) -> datetime | None:
    """The last moment a meeting of the course may take place (6 months after the first)."""
    return add_months(live[0].starts_at, MAX_MONTHS) if live else None


def check(
    status: str,
    meetings: Iterable[MeetingState],
    meeting_id: str,
    changed: set[str],
    was_finished: bool,
) -> Outcome:
    """The rules for a change of one meeting, given the course's meetings *after* it (the
    changed one included, marked deleted if it was deleted) and its status before."""
    after = list(meetings)
    live = in_order(after)
    meeting = next(m for m in after if m.id == meeting_id)
    events = _events(meeting, changed, was_finished)
    refusals: list[Refusal] = []
    new_status = status
    for event in events:
        target = TRANSITIONS.get((new_status, event))
        if target is None:
            refusals.append(Refusal(*REFUSED_EVENTS[event]))
            break
        new_status = target
    if was_finished and meeting.status != "finished" and not meeting.deleted:
        refusals.append(
            Refusal("meeting_finished", "status", "A finished meeting cannot be reopened.")
        )
    if not meeting.deleted and changed & PLACE_FIELDS:
        refusals += _place_refusals(live)
    if any(e in ("finish", "finish_closing", "underretning") for e in events):
        refusals += _finish_refusals(meeting, live)
    return Outcome(refusals, events, status if refusals else new_status)


def hand_over(status: str) -> Outcome:
    """Recording that the child counsellor has taken over."""
    target = TRANSITIONS.get((status, "hand_over"))
    if target is None:
        return Outcome([Refusal(*REFUSED_EVENTS["hand_over"])], ["hand_over"], status)
    return Outcome([], ["hand_over"], target)


def _events(meeting: MeetingState, changed: set[str], was_finished: bool) -> list[str]:
    if meeting.deleted:
        return ["delete_meeting"] if "deleted_at" in changed else []
    events = []
    if "id" in changed:
        events.append("add_meeting")
    elif changed & PLACE_FIELDS:
        events.append("move_meeting")
    if meeting.status == "finished" and not was_finished:
        events.append(
            "underretning"
            if meeting.underretning
            else "finish_closing"
            if meeting.kind == "closing"
            else "finish"
        )
    return events


def _place_refusals(live: list[MeetingState]) -> list[Refusal]:
    refusals = []
    if len(live) > MAX_MEETINGS:
        refusals.append(
            Refusal(
                "too_many_meetings", "course_id", f"A course has at most {MAX_MEETINGS} meetings."
            )
        )
    if live and live[0].kind != "start":
        refusals.append(
            Refusal(
                "first_meeting_not_start",
                "kind",
                "The first meeting of a course must be a start meeting.",
            )
        )
    if sum(1 for m in live if m.kind == "start") > 1:
        refusals.append(
            Refusal("second_start_meeting", "kind", "A course has only one start meeting.")
        )
    end = window_end(live)
    if end is not None and any(m.starts_at > end for m in live):
        refusals.append(
            Refusal(
                "outside_course_window",
                "starts_at",
                f"A course lasts at most {MAX_MONTHS} months: no meeting may be later than "
                f"{end:%Y-%m-%d}.",
            )
        )
    if len(live) >= MAX_MEETINGS and live[MAX_MEETINGS - 1].kind != "closing":
        refusals.append(
            Refusal(
                "fifth_meeting_must_close",
                "kind",
                f"Meeting {MAX_MEETINGS} of {MAX_MEETINGS} must be the closing meeting.",
            )
        )
    if any(m.kind == "closing" for m in live[:-1]):
        refusals.append(
            Refusal("closing_not_last", "kind", "No meeting can come after the closing meeting.")
        )
    return refusals


def _finish_refusals(meeting: MeetingState, live: list[MeetingState]) -> list[Refusal]:
    refusals = []
    if meeting.child_participation is None:
        refusals.append(
            Refusal(
                "child_participation_missing",
                "child_participation",
                "Record whether the child took part in the whole meeting, part of it or none.",
            )
        )
    elif meeting.child_participation != "whole" and not meeting.child_perspective.strip():
        refusals.append(
            Refusal(
                "child_perspective_missing",
                "child_perspective",
                "The child did not take part in the whole meeting: record the child's perspective.",
            )
        )
    if meeting.kind == "closing":
        return refusals  # a closing meeting needs nothing more: a course can always end
    if len(live) >= MAX_MEETINGS and live[-1].id == meeting.id:
        return [
            *refusals,
            Refusal(
                "last_meeting_must_close",
                "kind",
                f"This is meeting {MAX_MEETINGS} of {MAX_MEETINGS}: finish it as the closing "
                "meeting.",
            ),
        ]
    if meeting.next_meeting_at is None:
        return [
            *refusals,
            Refusal(
                "next_meeting_missing",
                "next_meeting_at",
                "Set the date of the next meeting before finishing this one, or finish it as "
                "the closing meeting.",
            ),
        ]
    end = window_end(live)
    if meeting.next_meeting_at <= meeting.starts_at:
        refusals.append(
            Refusal(
                "next_meeting_before", "next_meeting_at", "The next meeting must be after this one."
            )
        )
    elif end is not None and meeting.next_meeting_at > end:
        refusals.append(
            Refusal(
                "next_meeting_outside_window",
                "next_meeting_at",
                f"The next meeting must be no later than {end:%Y-%m-%d}, six months after the "
                "first meeting; or finish this one as the closing meeting.",
            )
        )
    return refusals


# Trying a change on a course as plain data (what the tablet does before it queues a change,
# and what the exploration of every reachable course state uses) -------------------------


def attempt(course: CourseState, change: dict[str, Any]) -> tuple[Outcome, CourseState]:
    """Try ``{"create": {...}}``, ``{"meeting": id, "set": {...}}``, ``{"meeting": id,
    "delete": True}`` or ``{"hand_over": True}``: what refuses it, and the course after."""
    if change.get("hand_over"):
        outcome = hand_over(course.status)
        return outcome, replace(course, status=outcome.status)
    before = {m.id: m for m in course.meetings}
    if "create" in change:
        made = MeetingState(**change["create"])
        changed = {*change["create"], "course_id", "id"}
        after, was_finished = made, False
    else:
        old = before[change["meeting"]]
        was_finished = old.status == "finished"
        if change.get("delete"):
            after, changed = replace(old, deleted=True), {"deleted_at"}
        else:
            after = replace(old, **change["set"])
            changed = {k for k, v in change["set"].items() if getattr(old, k) != v}
    meetings = (*(m for m in course.meetings if m.id != after.id), after)
    outcome = check(course.status, meetings, after.id, changed, was_finished)
    if outcome.refusals:
        return outcome, course
    return outcome, CourseState(outcome.status, meetings)
