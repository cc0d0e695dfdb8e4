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
from server.parents.language import text as tr

# Built once: every view of a report page asks it (see guardian_access._LIVE_SESSIONS).
_LIVE_COMMENTS = (
    select(ParentComment)
    .where(ParentComment.meeting_id == bindparam("meeting_id"), ParentComment.deleted_at.is_(None))
    .order_by(ParentComment.written_at, ParentComment.id)
)


def comments_of(meeting_id: str) -> list[ParentComment]:
    """The live comments on a meeting's report, oldest first."""
    return list(db.session.scalars(_LIVE_COMMENTS, {"meeting_id": meeting_id}))


def as_filed(meeting_id: str, reader: Guardian | None = None) -> list[dict[str, Any]]:
    """Plain data for the PDF and the filing's metadata: who, when, on which version, what;
    every comment for the staff, what ``reader`` may read for a guardian's own PDF."""
    comments = comments_of(meeting_id)
    return [
        {
            "id": c.id,
            "guardian": c.guardian_label,
            "written_at": c.written_at.isoformat(),
            "report_id": c.report_id,
            "text": c.text,
        }
        for c in (comments if reader is None else readable_by(comments, reader))
    ]


def readable_by(comments: list[ParentComment], guardian: Guardian) -> list[ParentComment]:
    """What this guardian may read: their own comments and those the other guardian shared.
    Staff read them all (the tablet, the PDF, the filing): only the phones are filtered."""
    return [c for c in comments if c.guardian_id == guardian.id or c.shared_with_guardians]


def comments_part(
    meeting_id: str,
    guardian: Guardian,
    *,
    text: str = "",
    error: str = "",
    saved: str = "",
    share: bool = False,
) -> Markup:
    """The comments section of the report page: the guardian's own comments and those the
    other guardian shared, the form (its text says who reads), a way to withdraw one's own."""
    return Markup(  # noqa: S704 - a template's output, autoescaped by Jinja
        render_template(
            "parent/report_comments.html",
            t=tr().T,
            s=tr().STORY,
            da=tr(),
            meeting_id=meeting_id,
            comments=readable_by(comments_of(meeting_id), guardian),
            own=guardian.id,
            text=text,
            error=error,
            saved=saved,
            share=share,
        )
    )
