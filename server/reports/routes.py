"""Staff API of reports: publishing (a record kind), previews, PDFs, parents' invitations and
phone sessions (the admin's outbox view is in ``server/letters/routes.py``)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from server import access, audit
from server.auth.current import current_user, require_roles
from server.errors import ApiError
from server.extensions import db
from server.kinds import FILING, PARENT_COMMENT, REPORT, REPORT_READING
from server.letters import channel
from server.models import Guardian, GuardianSession
from server.parents import guardian_access
from server.parents.comments import as_filed
from server.photos.access import backed_photo_ids
from server.records.rest import get_visible
from server.records.routes import register_kind
from server.reports.compose import compose
from server.reports.pdf import report_pdf

blp = Blueprint("reports", __name__, url_prefix="/api", description="Reports for parents")

register_kind(blp, REPORT, "reports", "meetings")
register_kind(blp, REPORT_READING, "report-readings", "meetings")
register_kind(blp, FILING, "filings", "meetings")
register_kind(blp, PARENT_COMMENT, "parent-comments", "meetings")


class PreviewSchema(Schema):
    report = fields.Dict(metadata={"description": "What publishing now would freeze."})
    missing_photos = fields.List(
        fields.String(),
        metadata={"description": "Ids of board photos whose bytes have not reached the server."},
    )


class SnapshotSchema(Schema):
    id = fields.String()
    number = fields.Integer()
    report = fields.Dict()


class GuardianSessionSchema(Schema):
    id = fields.String()
    guardian_id = fields.String()
    created_at = fields.AwareDateTime()
    last_seen_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)
    user_agent = fields.String()


class InvitationResultSchema(Schema):
    sent = fields.Boolean()


@blp.route("/meetings/<meeting_id>/report-preview")
class Preview(MethodView):
    @blp.response(200, PreviewSchema)
    def get(self, meeting_id: str) -> Any:
        """The report as publishing it now would freeze it, and which photos are missing."""
        meeting = access.load_meeting(current_user(), meeting_id)
        report = compose(meeting)
        backed = backed_photo_ids(p["id"] for p in report["photos"])
        audit.record("read", "report", meeting.id, access.child_of_course(meeting.course_id))
        db.session.commit()
        return {
            "report": report,
            "missing_photos": [p["id"] for p in report["photos"] if p["id"] not in backed],
        }


@blp.route("/reports/<record_id>/snapshot")
class Snapshot(MethodView):
    @blp.response(200, SnapshotSchema)
    def get(self, record_id: str) -> Any:
        """Exactly what the guardians read for this version."""
        report = get_visible(REPORT, current_user(), record_id)
        audit.record("read", "report", report.id, REPORT.child_id_of(report))
        db.session.commit()
        return {"id": report.id, "number": report.number, "report": report.snapshot}


@blp.route("/reports/<record_id>/pdf")
class Pdf(MethodView):
    @blp.response(200, content_type="application/pdf")
    def get(self, record_id: str) -> Response:
        """The version as PDF, the same document guardians download and that is filed."""
        report = get_visible(REPORT, current_user(), record_id)
        audit.record("read", "report_pdf", report.id, REPORT.child_id_of(report))
        db.session.commit()
        return Response(report_pdf(report, as_filed(report.meeting_id)), mimetype="application/pdf")


def _guardian(guardian_id: str) -> Guardian:
    user = current_user()  # who asks comes first: a lookup must not answer a stranger
    guardian = db.session.get(Guardian, guardian_id)
    if guardian is None or guardian.deleted_at is not None:
        raise ApiError(404, "Not found.", "not_found")
    access.get_child(user, guardian.child_id)
    return guardian


@blp.route("/guardians/<guardian_id>/invitations")
class Invitations(MethodView):
    @require_roles("family_unit")
    @blp.response(201, InvitationResultSchema)
    def post(self, guardian_id: str) -> Any:
        """Send the guardian a new personal link to the child's reports."""
        user = current_user()
        guardian = _guardian(guardian_id)
        # By e-mail a custody holder needs an address; by Digital Post, a custody holder
        # (one without a CPR number is shown as not reached: server/letters/channel.py).
        if not channel.reachable(guardian):
            raise ApiError(
                422,
                "Only a custody holder with an e-mail address can be invited.",
                "cannot_invite",
                {"email": ["An e-mail address is needed."]},
            )
        guardian_access.invite(guardian, user)
        audit.record("create", "invitation", guardian.id, guardian.child_id)
        db.session.commit()
        return {"sent": True}


@blp.route("/guardians/<guardian_id>/sessions")
class Sessions(MethodView):
    @blp.response(200, GuardianSessionSchema(many=True))
    def get(self, guardian_id: str) -> Any:
        """The phones the guardian has opened an invitation on."""
        guardian = _guardian(guardian_id)
        rows = db.session.scalars(
            select(GuardianSession)
            .where(GuardianSession.guardian_id == guardian.id)
            .order_by(GuardianSession.created_at)
        )
        result = list(rows)
        audit.record("list", "guardian_session", guardian.id, guardian.child_id)
        db.session.commit()
        return result


@blp.route("/guardian-sessions/<session_id>/revoke")
class Revoke(MethodView):
    @require_roles("family_unit")
    @blp.response(200, GuardianSessionSchema)
    def post(self, session_id: str) -> Any:
        """End a guardian's access from that phone at once."""
        user = current_user()
        session = db.session.get(GuardianSession, session_id)
        if session is None:
            raise ApiError(404, "Not found.", "not_found")
        guardian = _guardian(session.guardian_id)
        guardian_access.revoke(session, user)
        audit.record("update", "guardian_session", session.id, guardian.child_id, "revoked")
        db.session.commit()
        return session
