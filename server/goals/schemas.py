"""Schemas for goal pairs and their scores (used by the REST API and by sync pushes).

That both notes of a pair are of the pair's course and in the right columns, and that a
score is given by someone at its meeting for a pair of its course, needs other records:
those rules are checks of the write path (``server/courses/checks.py``), answered 422 on
the field to fix like every rule.
"""

from __future__ import annotations

from server.meetings.schemas import ScalingAnswerSchema
from server.records.schemas import RecordSchema, aware, ref


class GoalPairSchema(RecordSchema):
    """A worry paired with a goal on a course: what worries us and what we want to see
    instead, scaled 0-10 at every meeting until it is reached."""

    course_id = ref(required=True)
    worry_note_id = ref(
        required=True,
        metadata={"description": 'A board note of the course in the column "worries".'},
    )
    goal_note_id = ref(
        required=True,
        metadata={"description": 'A board note of the course in the column "next_steps".'},
    )
    reached_at = aware(
        allow_none=True,
        load_default=None,
        metadata={"description": "When the goal was marked reached (null: not reached)."},
    )


class GoalScoreSchema(ScalingAnswerSchema):
    """One answer for one goal at a meeting: where someone puts it today, from 0 (nothing
    of it yet) to 10 (the goal is reached). Given as the scaling question's answer is (who,
    role, name, a whole 0-10), for one goal."""

    goal_pair_id = ref(required=True)
