"""The rule a goal pair follows, as a pure function: the mirror of ``pwa/src/domain/goals.ts``.

Both sides run the same cases (``tests/rules/cases.json``, ``goal_pairs``): the tablet offers
only the notes this rule allows, the server (``server/courses/checks.py: check_goal_pair``)
refuses any other with the code and the field to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.courses.rules import Refusal

# The board column each note of a pair must stand in.
PAIR_COLUMNS = {"worry_note_id": "worries", "goal_note_id": "next_steps"}


@dataclass(frozen=True)
class NoteState:
    """What the rule needs of a note: its course, its column, whether it is deleted."""

    course_id: str
    column: str
    deleted: bool = False


def pair_refusal(course_id: str, notes: dict[str, NoteState | None]) -> Refusal | None:
    """The first thing wrong with pairing ``notes`` (field → the note it names, None when
    there is none) on ``course_id``, or None when they may be paired."""
    for field, column in PAIR_COLUMNS.items():
        if field not in notes:
            continue
        note = notes[field]
        if note is None or note.deleted or note.course_id != course_id:
            return Refusal("goal_note_elsewhere", field, "The note is not on this course's board.")
        if note.column != column:
            return Refusal(
                "goal_note_wrong_column", field, f"The note must be in the column {column}."
            )
    return None
