"""The parts of a meeting: participants, board notes and photos, agreements, minutes, the
answers to the scaling question, the child's three houses."""

from __future__ import annotations

from flask_smorest import Blueprint

from server.kinds import (
    AGREEMENT,
    BOARD_NOTE,
    BOARD_PHOTO,
    HOUSES,
    MINUTES,
    PARTICIPANT,
    SCALING_ANSWER,
)
from server.records.routes import register_kind

blp = Blueprint(
    "meeting_parts", __name__, url_prefix="/api", description="What is captured at a meeting"
)

register_kind(blp, PARTICIPANT, "participants", "meetings")
register_kind(blp, BOARD_NOTE, "notes", "meetings")
register_kind(blp, BOARD_PHOTO, "photos", "meetings")
register_kind(blp, AGREEMENT, "agreements", "meetings")
register_kind(blp, MINUTES, "minutes", "meetings")
register_kind(blp, SCALING_ANSWER, "scaling-answers", "meetings")
register_kind(blp, HOUSES, "houses", "meetings")
