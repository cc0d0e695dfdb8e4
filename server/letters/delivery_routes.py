"""A meeting's letters and how each reached its guardian, for the course's staff: the tablet
shows them beside the agenda ("Sendt med Digital Post 7. december 2026 kl. 10.05").

Delivery only: which guardian, what letter, which channel, its state and times. Never the
letter's text, the address or a CPR number.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from server import access, audit
from server.auth.current import current_user
from server.extensions import db
from server.letters.outbox import MAX_ATTEMPTS
from server.models import Guardian, OutboundMessage
from server.parents.guardian_access import label

blp = Blueprint(
    "letters",
    __name__,
    url_prefix="/api",
    description="Letters to the guardians and their delivery",
)


class LetterDeliverySchema(Schema):
    """One letter to one guardian and how far it got."""

    id = fields.String()
    guardian_id = fields.String(allow_none=True)
    guardian = fields.String(metadata={"description": "The relation (mor, far), else the name."})
    kind = fields.String(allow_none=True, metadata={"description": "agenda, report or invitation."})
    channel = fields.String(metadata={"description": "digital_post or email."})
    status = fields.String(
        metadata={
            "description": "kept, pending, sending, sent, delivered, printed (a paper letter, "
            "fjernprint), failed or unaddressable (no CPR number for Digital Post)."
        }
    )
    retrying = fields.Boolean(
        metadata={"description": "Failed, and it will be tried again by itself."}
    )
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)
    delivered_at = fields.AwareDateTime(
        allow_none=True, metadata={"description": "When Digital Post delivered or printed it."}
    )


@blp.route("/meetings/<meeting_id>/letters")
class MeetingLetters(MethodView):
    @blp.response(200, LetterDeliverySchema(many=True))
    def get(self, meeting_id: str) -> Any:
        """The meeting's letters to guardians (agenda, report notice) and their delivery."""
        meeting = access.load_meeting(current_user(), meeting_id)
        rows = db.session.execute(
            select(OutboundMessage, Guardian)
            .outerjoin(Guardian, Guardian.id == OutboundMessage.guardian_id)
            .where(OutboundMessage.meeting_id == meeting.id)
            .order_by(OutboundMessage.created_at, OutboundMessage.id)
        ).all()
        audit.record("read", "letters", meeting.id, access.child_of_course(meeting.course_id))
        db.session.commit()
        return [
            {
                "id": row.id,
                "guardian_id": row.guardian_id,
                "guardian": label(guardian) if guardian is not None else "",
                "kind": row.kind,
                "channel": row.channel,
                "status": row.status,
                "retrying": row.status == "failed" and row.attempts < MAX_ATTEMPTS,
                "created_at": row.created_at,
                "sent_at": row.sent_at,
                "delivered_at": row.delivered_at,
            }
            for row, guardian in rows
        ]
