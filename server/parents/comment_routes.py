"""Parents' own words on a published report ("Vores bemærkninger"), from the phone.

A guardian with a live phone session for the child (a custody holder: sessions end with
custody) adds a comment under the newest published version of a meeting's report, and may
withdraw their own; nobody else's. The author and the course's staff read it; the other
guardian only if the author ticked "share" (off by default: separated parents may be in
conflict, issue 21). A comment is a synced record (``parent_comment``), so
the tablets show it — read-only: staff cannot write or change one — and filing the report
afterwards puts it in the archive. Withdrawing deletes it (and its text) for everyone; a
comment cannot be edited: what staff may already have read is not changed under them.

The form is a plain POST with Flask-WTF's token; the parents' blueprint, in which this one
is nested, refuses cross-site POSTs (``routes._same_site_writes_only``); every failure is
the parents' one 404 page.
The text's limit is the schema's (``ParentCommentSchema``), stated once.

The comments are a part of the report page of their own (``comments.comments_part``),
rendered on every view and put into the rest of the page, which was made once when the version was
published (frozen.py).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, redirect
from marshmallow import ValidationError
from sqlalchemy import func, select
from werkzeug.wrappers import Response as WerkzeugResponse

from server import audit
from server.extensions import db
from server.models import Course, Guardian, ParentComment, Report, Task
from server.models._common import utcnow
from server.parents import guardian_access
from server.parents.comments import comments_part
from server.parents.language import text as tr
from server.parents.routes import readable_report, render_report
from server.records.form_input import checked_form
from server.records.kind import schema_instance
from server.reports.schemas import ParentCommentSchema
from server.text import da

# Nested in the parents' blueprint (server/blueprints.py): its refusals and hooks apply.
bp = Blueprint("comments", __name__)

# A phone is no chat: more than this many comments by one guardian on one meeting is refused.
MAX_PER_MEETING = 20


def _limit() -> int:
    field = ParentCommentSchema._declared_fields["text"]
    return int(next(v.max for v in field.validators if hasattr(v, "max")))


@bp.post("/reports/<meeting_id>/comments")
def add_comment(meeting_id: str) -> WerkzeugResponse | tuple[str, int]:
    """Add the guardian's comment to the newest published version of the meeting's report."""
    report, guardian = readable_report(meeting_id)
    form, problems = checked_form()  # a NUL is said on the page, not a 500 on PostgreSQL
    text = form.get("text", "")
    # A box ticked by the author; absent (not ticked, or an old page) is not shared.
    share = form.get("share") == "1"
    if problems:
        return _page(report, guardian, text, tr().STORY["comment_bad_character"], share), 422
    try:
        loaded = schema_instance(ParentCommentSchema, only=("text",)).load({"text": text})
    except ValidationError:
        return _refused(report, guardian, text, share)
    if not text.strip():
        return _refused(report, guardian, text, share)
    mine = db.session.scalar(
        select(func.count()).where(
            ParentComment.meeting_id == meeting_id,
            ParentComment.guardian_id == guardian.id,
            ParentComment.deleted_at.is_(None),
        )
    )
    if (mine or 0) >= MAX_PER_MEETING:
        error = tr().STORY["comment_too_many"].format(limit=MAX_PER_MEETING)
        return _page(report, guardian, text, error, share), 422
    comment = ParentComment(
        meeting_id=report.meeting_id,
        course_id=report.course_id,
        report_id=report.id,
        guardian_id=guardian.id,
        guardian_label=guardian_access.label(guardian),
        text=loaded["text"],
        written_at=utcnow(),
        shared_with_guardians=share,
    )
    db.session.add(comment)
    db.session.flush()
    _task_for_leader(report)
    audit.record_guardian(
        guardian.id,
        guardian_access.actor_name(guardian),
        "create",
        "parent_comment",
        comment.id,
        report.snapshot["child"]["id"],
    )
    db.session.commit()
    return redirect(f"/p/reports/{meeting_id}?comment=saved#comments", code=303)


@bp.post("/comments/<comment_id>/withdraw")
def withdraw_comment(comment_id: str) -> WerkzeugResponse:
    """Withdraw one's own comment: it is deleted, text and all, on the server and tablets."""
    reader = guardian_access.required_reader()
    comment = db.session.get(ParentComment, comment_id) if len(comment_id) == 36 else None
    own = {g.id for g in reader.guardians}
    if comment is None or comment.deleted_at is not None or comment.guardian_id not in own:
        abort(404)
    course = db.session.get(Course, comment.course_id)
    if course is None or course.deleted_at is not None:
        abort(404)
    comment.text = ""
    comment.deleted_at = utcnow()
    guardian = next(g for g in reader.guardians if g.id == comment.guardian_id)
    audit.record_guardian(
        guardian.id,
        guardian_access.actor_name(guardian),
        "delete",
        "parent_comment",
        comment.id,
        course.child_id,
    )
    db.session.commit()
    return redirect(f"/p/reports/{comment.meeting_id}?comment=withdrawn#comments", code=303)


def _refused(report: Report, guardian: Guardian, text: str, share: bool) -> tuple[str, int]:
    if not text.strip():
        return _page(report, guardian, text, tr().STORY["comment_empty"], share), 422
    error = (
        tr()
        .STORY["comment_too_long"]
        .format(limit=f"{_limit():,}".replace(",", "."), actual=f"{len(text):,}".replace(",", "."))
    )
    return _page(report, guardian, text, error, share), 422


def _page(report: Report, guardian: Guardian, text: str, error: str, share: bool) -> str:
    """The report page again, the text and the sharing choice kept, the reason said."""
    part = comments_part(report.meeting_id, guardian, text=text, error=error, share=share)
    page = render_report(report, part)
    db.session.rollback()
    return page


def _task_for_leader(report: Report) -> None:
    """The course's leader is told on the tablet's start page (a synced task)."""
    course = db.session.get(Course, report.course_id)
    assert course is not None
    open_task = db.session.scalar(
        select(Task.id).where(
            Task.course_id == course.id,
            Task.meeting_id == report.meeting_id,
            Task.kind == "parent_comment",
            Task.done_at.is_(None),
            Task.deleted_at.is_(None),
        )
    )
    if open_task is None:
        db.session.add(
            Task(
                course_id=course.id,
                meeting_id=report.meeting_id,
                kind="parent_comment",
                title=da.STORY["task_comment"],  # a staff task: the staff app is Danish
                assignee_role="family_unit",
                assignee_id=course.leader_id,
                due_date=utcnow().date() + timedelta(days=2),
            )
        )
