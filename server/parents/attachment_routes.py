"""Documents the staff have shared with the guardians (/p/attachments)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select

from server import audit
from server.courses.routes import send_attachment
from server.extensions import db
from server.models import Attachment, Child, Course
from server.parents import guardian_access
from server.parents.language import text as tr

# Nested in the parents' blueprint (server/blueprints.py): its refusals and hooks apply.
bp = Blueprint("attachments", __name__)


def _shared() -> list[tuple[Attachment, Child]]:
    reader = guardian_access.required_reader()
    rows = db.session.execute(
        select(Attachment, Child)
        .join(Course, Course.id == Attachment.course_id)
        .join(Child, Child.id == Course.child_id)
        .where(
            Course.child_id.in_(reader.child_ids),
            Course.deleted_at.is_(None),
            Attachment.deleted_at.is_(None),
            Attachment.shared_with_guardians.is_(True),
        )
        .order_by(Attachment.created_at)
    ).all()
    return [(a, c) for a, c in rows]


@bp.get("/attachments")
def attachments_page() -> str:
    return render_template("parent/attachments.html", t=tr().T, da=tr(), rows=_shared())


@bp.get("/attachments/<attachment_id>")
def attachment_file(attachment_id: str) -> Response:
    found = next(((a, c) for a, c in _shared() if a.id == attachment_id), None)
    if found is None:
        abort(404)
    row, child = found
    guardian = guardian_access.current_reader().guardian_of(child.id)
    assert guardian is not None
    audit.record_guardian(
        guardian.id, guardian_access.actor_name(guardian), "read", "attachment", row.id, child.id
    )
    db.session.commit()
    return send_attachment(row)
