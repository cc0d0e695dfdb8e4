"""Meetings of a course."""

from __future__ import annotations

from flask_smorest import Blueprint

from server.common.routes import register_kind
from server.kinds import MEETING

blp = Blueprint("meetings", __name__, url_prefix="/api", description="Meetings")

register_kind(blp, MEETING, "meetings", "courses")
