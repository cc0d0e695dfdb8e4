"""The admin's view of the outbox: delivery state only.

Admins manage users and institutions and see no child's data. A message names the child
(subject, body) and holds a parent's single-use link; the address names the family. So the
view says when a message was queued and sent, its state, attempts and last error (with the
recipient's address masked) — enough to see that mail is flowing — and nothing else. The
operator of a development server prints kept messages with ``flask outbox print``.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from server.auth.current import require_roles
from server.extensions import db
from server.models import OutboundMessage

blp = Blueprint(
    "outbox",
    __name__,
    url_prefix="/api/admin",
    description="Delivery of the letters to parents (admin only)",
)


class DeliverySchema(Schema):
    """One message's delivery state."""

    id = fields.String()
    created_at = fields.AwareDateTime(metadata={"description": "When it was queued."})
    status = fields.String(
        metadata={
            "description": "kept (LETTERS=outbox, or no mail server for staff mail), pending, "
            "sending, sent, delivered or printed (Digital Post's receipts), failed, or "
            "unaddressable (no CPR number for Digital Post)."
        }
    )
    attempts = fields.Integer()
    last_error = fields.String(
        metadata={"description": "The mail server's last refusal, the recipient's address masked."}
    )
    sent_at = fields.AwareDateTime(allow_none=True)


@blp.route("/outbox")
class Outbox(MethodView):
    @require_roles("admin")
    @blp.response(200, DeliverySchema(many=True))
    def get(self) -> Any:
        """Delivery state of the newest 200 messages to parents (no content, no recipient)."""
        return list(
            db.session.scalars(
                select(OutboundMessage).order_by(OutboundMessage.created_at.desc()).limit(200)
            )
        )
