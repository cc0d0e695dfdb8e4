"""Meetings of a course, and their agenda letters."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from server import access, audit
from server.auth.current import current_user
from server.errors import ApiError
from server.extensions import db
from server.kinds import MEETING
from server.letters.agenda import agenda_pdf, compose_agenda, send_agenda
from server.records.routes import register_kind

blp = Blueprint("meetings", __name__, url_prefix="/api", description="Meetings")

register_kind(blp, MEETING, "meetings", "courses")


class AgendaSentSchema(Schema):
    sent = fields.Integer(metadata={"description": "How many guardians it was sent to."})


@blp.route("/meetings/<meeting_id>/agenda.pdf")
class AgendaPdf(MethodView):
    @blp.response(200, content_type="application/pdf")
    def get(self, meeting_id: str) -> Response:
        """The meeting's agenda letter as PDF (what the guardians get)."""
        meeting = access.load_meeting(current_user(), meeting_id)
        pdf = agenda_pdf(compose_agenda(meeting))
        audit.record("read", "agenda", meeting.id, access.child_of_course(meeting.course_id))
        db.session.commit()
        return Response(pdf, mimetype="application/pdf")


@blp.route("/meetings/<meeting_id>/agenda/send")
class AgendaSend(MethodView):
    @blp.response(200, AgendaSentSchema)
    def post(self, meeting_id: str) -> Any:
        """Send the agenda letter to both custody holders (with the consent request where
        consent is missing); done by the family unit."""
        user = current_user()
        meeting = access.load_meeting(user, meeting_id)  # 404 first: an unseen meeting stays unseen
        if user.role != "family_unit":
            raise ApiError(403, "Only the family unit sends agenda letters.", "forbidden")
        if meeting.status == "finished":
            raise ApiError(
                422,
                "The meeting has been held.",
                "meeting_finished",
                {"meeting_id": ["The meeting has been held."]},
            )
        sent = send_agenda(meeting, user)
        audit.record(
            "create",
            "agenda",
            meeting.id,
            access.child_of_course(meeting.course_id),
            f"sent to {sent}",
        )
        db.session.commit()
        return {"sent": sent}
