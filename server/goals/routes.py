"""Goal pairs of a course and their scores at each meeting."""

from __future__ import annotations

from flask_smorest import Blueprint

from server.kinds import GOAL_PAIR, GOAL_SCORE
from server.records.routes import register_kind

blp = Blueprint("goals", __name__, url_prefix="/api", description="Worries paired with goals")

register_kind(blp, GOAL_PAIR, "goal-pairs", "courses")
register_kind(blp, GOAL_SCORE, "goal-scores", "meetings")
