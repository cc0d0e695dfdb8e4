"""No dead end: every course state reachable with what the tablet offers has a way to an end.

The exploration runs the pure machine (server/courses/rules.py) from a new course and from the
states issue 12 found stuck (a fifth meeting made as a follow-up before the rule existed, a
meeting at the very end of the six months), through every action the meeting screen offers:
finish with the next meeting's date (the tablet makes the fifth the closing meeting), with the
"next is the closing meeting" tick, at the last day of the six months, with an underretning,
finish as the closing meeting, plan a missing next meeting, hand the course over. From every
state reached, some sequence of actions must end the course (closed or handed over).
pwa/src/domain/machine.test.ts explores rules.ts the same way.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from server.courses import rules
from server.courses.rules import CourseState, MeetingState

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
Step = list[dict[str, Any]]  # one action: attempts that stand or fall together


def _open(course: CourseState) -> list[MeetingState]:
    return [m for m in rules.in_order(course.meetings) if m.status != "finished"]


def _finish(
    meeting: MeetingState,
    course: CourseState,
    next_at: datetime | None,
    closing_tick: bool = False,
    underretning: bool = False,
) -> Step:
    """What writes.finishMeeting sends: the meeting finished, and the next one made."""
    done = {"status": "finished", "child_participation": "whole", "underretning": underretning}
    if next_at is None:
        return [{"meeting": meeting.id, "set": {**done, "kind": "closing"}}]
    live = rules.in_order(course.meetings)
    fifth = len(live) + 1 >= rules.MAX_MEETINGS
    made = {
        "id": f"after-{meeting.id}",
        "kind": "closing" if closing_tick or fifth else "follow_up",
        "starts_at": next_at,
    }
    return [{"meeting": meeting.id, "set": {**done, "next_meeting_at": next_at}}, {"create": made}]


def actions(course: CourseState) -> Iterator[tuple[str, Step]]:
    """What the screens offer in this state."""
    if course.status == "awaiting_counsellor":
        yield "hand over", [{"hand_over": True}]
    if course.status in rules.ENDED_STATUSES:
        return
    live = rules.in_order(course.meetings)
    end = rules.window_end(live)
    assert end is not None
    for meeting in _open(course):
        yield f"finish {meeting.id} as closing", _finish(meeting, course, None)
        if meeting.kind == "closing":
            yield (
                f"finish closing {meeting.id}",
                [
                    {
                        "meeting": meeting.id,
                        "set": {"status": "finished", "child_participation": "whole"},
                    }
                ],
            )
            continue
        soon = meeting.starts_at + timedelta(days=30)
        yield f"finish {meeting.id}, next in 30 days", _finish(meeting, course, soon)
        yield f"finish {meeting.id}, next is closing", _finish(meeting, course, soon, True)
        yield f"finish {meeting.id}, next at the window's end", _finish(meeting, course, end)
        yield (
            f"finish {meeting.id} with underretning",
            _finish(meeting, course, soon, underretning=True),
        )
    if live and not _open(course) and live[-1].kind != "closing":
        last = live[-1]
        fifth = len(live) + 1 >= rules.MAX_MEETINGS
        for at in (last.starts_at + timedelta(days=14), end):
            yield (
                f"plan the next meeting at {at:%Y-%m-%d}",
                [
                    {
                        "create": {
                            "id": f"planned-{last.id}",
                            "kind": "closing" if fifth else "follow_up",
                            "starts_at": at,
                        }
                    }
                ],
            )


def run(course: CourseState, step: Step) -> CourseState | None:
    for change in step:
        outcome, course = rules.attempt(course, change)
        if outcome.refusals:
            return None
    return course


def explore(start: CourseState) -> tuple[int, list[str]]:
    """(states reached, the path to a dead end if any)."""
    seen: dict[CourseState, list[str]] = {start: []}
    edges: dict[CourseState, list[CourseState]] = {}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        edges[state] = []
        for label, step in actions(state):
            after = run(state, step)
            if after is None:
                continue
            edges[state].append(after)
            if after not in seen:
                seen[after] = [*seen[state], label]
                queue.append(after)
    ends = {s for s in seen if s.status in rules.ENDED_STATUSES}
    changed = True
    while changed:  # states from which an end is reachable, backwards
        changed = False
        for state, targets in edges.items():
            if state not in ends and any(t in ends for t in targets):
                ends.add(state)
                changed = True
    stuck = [path for state, path in seen.items() if state not in ends]
    return len(seen), min(stuck, key=len) if stuck else []


def test_every_state_of_a_new_course_has_a_way_to_its_end() -> None:
    start = CourseState("active", (MeetingState("m1", "start", T0),))
    states, stuck = explore(start)
    assert stuck == [], f"a dead end after: {stuck}"
    assert states > 100  # the exploration did reach far: five meetings, every kind of end


def test_the_states_issue_12_found_stuck_have_a_way_out() -> None:
    done = [
        MeetingState(
            f"m{n}",
            "start" if n == 1 else "follow_up",
            T0 + timedelta(days=30 * (n - 1)),
            status="finished",
            child_participation="whole",
            next_meeting_at=T0 + timedelta(days=30 * n),
        )
        for n in range(1, 5)
    ]
    legacy_fifth = CourseState(
        "active", (*done, MeetingState("m5", "follow_up", T0 + timedelta(days=120)))
    )
    at_window_end = CourseState(
        "active",
        (
            replace(done[0], next_meeting_at=T0 + timedelta(days=182)),
            MeetingState("m2", "follow_up", rules.add_months(T0, 6)),
        ),
    )
    waiting = CourseState("awaiting_counsellor", (replace(done[0], underretning=True),))
    all_finished = CourseState("active", tuple(done[:2]))
    for state in (legacy_fifth, at_window_end, waiting, all_finished):
        assert explore(state)[1] == [], state


def test_an_open_last_meeting_can_always_be_finished_as_the_closing_one() -> None:
    """The promise behind the screen's "Afslut forløbet med dette møde"."""
    start = CourseState("active", (MeetingState("m1", "start", T0),))
    seen = {start}
    queue = deque([start])
    checked = 0
    while queue:
        state = queue.popleft()
        open_meetings = _open(state)
        live = rules.in_order(state.meetings)
        if state.status in rules.OPEN_STATUSES and open_meetings and open_meetings[-1] is live[-1]:
            last = open_meetings[-1]
            if last.kind != "start":
                assert run(state, _finish(last, state, None)) is not None, state
                checked += 1
        for _label, step in actions(state):
            after = run(state, step)
            if after is not None and after not in seen:
                seen.add(after)
                queue.append(after)
    assert checked > 50
