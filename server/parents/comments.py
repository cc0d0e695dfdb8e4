"""The parents' comments on a meeting's report, as the report's readers, its PDF and the
filing archive see them, and the comments part of the report page (the phone's routes are in
``comment_routes.py``)."""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup
from sqlalchemy import bindparam, select

from server.extensions import db
from server.models import Guardian, ParentComment
from server.text import da

# Built once: every view of a report page asks it (see guardian_access._LIVE_SESSIONS).
_LIVE_COMMENTS = (
    select(ParentComment)
    .where(ParentComment.meeting_id == bindparam("meeting_id"), ParentComment.deleted_at.is_(None))
    .order_by(ParentComment.written_at, ParentComment.id)
)


def comments_of(meeting_id: str) -> list[ParentComment]:
    """The live comments on a meeting's report, oldest first."""
    return list(db.session.scalars(_LIVE_COMMENTS, {"meeting_id": meeting_id}))


def as_filed(meeting_id: str) -> list[dict[str, Any]]:
    """Plain data for the PDF and the filing's metadata: who, when, on which version, what."""
    return [
        {
            "id": c.id,
            "guardian": c.guardian_label,
            "written_at": c.written_at.isoformat(),
            "report_id": c.report_id,
            "text": c.text,
        }
        for c in comments_of(meeting_id)
    ]


def comments_part(
    meeting_id: str, guardian: Guardian, *, text: str = "", error: str = "", saved: str = ""
) -> Markup:
    """The comments section of the report page: every guardian's comments on the meeting
    (both custody holders read both), the form, and a way to withdraw one's own."""
    return Markup(  # noqa: S704 - a template's output, autoescaped by Jinja
        render_template(
            "parent/report_comments.html",
            t=da.T,
            s=da.STORY,
            da=da,
            meeting_id=meeting_id,
            comments=comments_of(meeting_id),
            own=guardian.id,
            text=text,
            error=error,
            saved=saved,
        )
    )
