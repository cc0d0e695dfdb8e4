"""The parents' pages under /p/: server-rendered, small, readable on a phone and offline.

Every failure — a used, expired or tampered link, no session, a revoked session, a guessed
id, another child's report — gets the same plain 404 page, so nothing can be learnt by
trying. Every reading is written to the audit log, which parents can read at /p/access.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse

from server import audit
from server.blob_store import blob_store
from server.extensions import csrf, db
from server.models import AuditEntry, Course, Guardian, Report, ReportReading
from server.models._common import utcnow
from server.reports import da, guardian_access
from server.reports.ics import next_meeting_ics
from server.reports.pdf import report_pdf
from server.reports.photos import display_path
from server.reports.publish import latest_report

bp = Blueprint("parent", __name__, url_prefix="/p", template_folder="../templates")
csrf.exempt(bp)  # no form here changes anything but the invitation its own secret names

PRIVATE = "private, no-cache"
STATIC = Path(__file__).parent / "static"


@bp.errorhandler(404)
def refused(_error: Exception) -> tuple[str, int]:
    return render_template("parent/refused.html", t=da.T), 404


@bp.after_request
def _headers(resp: Response) -> Response:
    resp.headers.setdefault("Cache-Control", PRIVATE)
    resp.headers["Referrer-Policy"] = "no-referrer"  # the invitation secret is in URLs
    resp.headers["X-Robots-Tag"] = "noindex"
    return resp


@bp.get("/invitation/<secret>")
def invitation(secret: str) -> str:
    """A page with one button: a mail scanner that follows the link uses nothing up."""
    if guardian_access.peek(secret) is None:
        abort(404)
    return render_template("parent/invitation.html", t=da.T, secret=secret)


@bp.post("/invitation/<secret>")
def redeem(secret: str) -> WerkzeugResponse:
    session_secret = guardian_access.redeem(secret)
    if session_secret is None:
        abort(404)
    db.session.commit()
    resp = redirect("/p/", code=303)
    held = [s for s in guardian_access.cookie_secrets() if s != session_secret]
    value = ".".join([session_secret, *held][: guardian_access.MAX_SESSIONS_PER_PHONE])
    resp.set_cookie(
        guardian_access.COOKIE, value, path="/p/", httponly=True, samesite="Lax",
        secure=current_app.config["TRIVSEL_ENV"] not in ("development", "testing"),
        max_age=current_app.config["GUARDIAN_SESSION_DAYS"] * 86400,
    )
    return resp


@bp.get("/")
def index() -> str:
    reader = guardian_access.current_reader()
    if not reader.guardians:
        abort(404)
    reports = _latest_reports(reader.child_ids)
    db.session.commit()
    return render_template("parent/index.html", t=da.T, da=da, reports=reports,
                           parse=datetime.fromisoformat)


@bp.get("/reports/<meeting_id>")
def report_page(meeting_id: str) -> str:
    report, guardian = _readable(meeting_id)
    _read_by(report, guardian, "report")
    return render_template("parent/report.html", t=da.T, da=da, r=report, s=report.snapshot,
                           parse=datetime.fromisoformat, parse_date=date.fromisoformat)


@bp.get("/reports/<meeting_id>.json")
def report_json(meeting_id: str) -> Response:
    report, guardian = _readable(meeting_id)
    _read_by(report, guardian, "report")
    return jsonify({"id": report.id, "number": report.number,
                    "published_at": report.published_at.isoformat()
                    if report.published_at else None, "report": report.snapshot})


@bp.get("/reports/<meeting_id>.pdf")
def report_pdf_download(meeting_id: str) -> Response:
    report, guardian = _readable(meeting_id)
    _log(guardian, "read", "report_pdf", report)
    db.session.commit()
    name = f"trivselsmoede-{report.snapshot['meeting']['starts_at'][:10]}.pdf"
    resp = Response(report_pdf(report), mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@bp.get("/reports/<meeting_id>.ics")
def report_ics(meeting_id: str) -> Response:
    report, guardian = _readable(meeting_id)
    body = next_meeting_ics(report.snapshot, report.id)
    if body is None:
        abort(404)
    _log(guardian, "read", "report_ics", report)
    db.session.commit()
    resp = Response(body, mimetype="text/calendar")
    resp.headers["Content-Disposition"] = 'attachment; filename="naeste-trivselsmoede.ics"'
    return resp


@bp.get("/reports/<meeting_id>/photos/<photo_id>")
def photo(meeting_id: str, photo_id: str) -> Response:
    """The phone-sized copy; ``?full=1`` the cleaned original."""
    report, guardian = _readable(meeting_id)
    item = _photo_of(report, photo_id)
    full = request.args.get("full") == "1"
    path = blob_store().path(item["content_hash"]) if full else display_path(item["content_hash"])
    _log(guardian, "read", "board_photo", report)
    db.session.commit()
    resp = send_file(path, mimetype=item["content_type"] if full else "image/jpeg",
                     conditional=True, etag=True)
    resp.headers["Cache-Control"] = "private, max-age=86400"
    return resp


@bp.get("/reports/<meeting_id>/photos/<photo_id>/view")
def photo_view(meeting_id: str, photo_id: str) -> str:
    report, _guardian = _readable(meeting_id)
    item = _photo_of(report, photo_id)
    return render_template("parent/photo.html", t=da.T, r=report, photo=item)


@bp.get("/access")
def access_log() -> str:
    """Who at the municipality has opened or changed the children's data."""
    reader = guardian_access.current_reader()
    if not reader.guardians:
        abort(404)
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.child_id.in_(reader.child_ids),
                                 AuditEntry.actor_type != "guardian")
        .order_by(AuditEntry.at.desc()).limit(500)
    ).all()
    return render_template("parent/access.html", t=da.T, da=da, rows=rows)


@bp.get("/online")
def online() -> Response:
    """Answers when the server can be reached (the pages' offline notice asks)."""
    return Response(status=204)


@bp.get("/sw.js")
def service_worker() -> Response:
    resp = send_file(STATIC / "parent-sw.js", mimetype="text/javascript")
    resp.headers["Cache-Control"] = "no-cache"
    return resp


def _readable(meeting_id: str) -> tuple[Report, Guardian]:
    """The newest published version, if this phone speaks for a guardian of its child."""
    try:
        uuid.UUID(meeting_id)
    except ValueError:
        abort(404)
    reader = guardian_access.current_reader()
    if not reader.guardians:
        abort(404)
    report = latest_report(meeting_id)
    course = db.session.get(Course, report.course_id) if report is not None else None
    if report is None or course is None or course.deleted_at is not None:
        abort(404)
    guardian = reader.guardian_of(report.snapshot["child"]["id"])
    if guardian is None:
        abort(404)
    return report, guardian


def _photo_of(report: Report, photo_id: str) -> dict[str, Any]:
    for item in report.snapshot["photos"]:
        if item["id"] == photo_id:
            return dict(item)
    abort(404)


def _label(guardian: Guardian) -> str:
    return guardian.relation or guardian.name


def _log(guardian: Guardian, action: str, entity: str, report: Report) -> None:
    audit.record_guardian(guardian.id, f"{guardian.name} ({_label(guardian)})", action, entity,
                          report.id, report.snapshot["child"]["id"])


def _read_by(report: Report, guardian: Guardian, entity: str) -> None:
    """Log the reading; the guardian's first reading of this version is a read receipt."""
    _log(guardian, "read", entity, report)
    seen = db.session.scalar(select(ReportReading.id).where(
        ReportReading.report_id == report.id, ReportReading.guardian_id == guardian.id))
    if seen is None:
        try:
            with db.session.begin_nested():  # two tabs at once: one receipt, no error
                db.session.add(ReportReading(
                    report_id=report.id, guardian_id=guardian.id, meeting_id=report.meeting_id,
                    course_id=report.course_id, guardian_label=_label(guardian),
                    read_at=utcnow()))
        except IntegrityError:
            pass
    db.session.commit()


def _latest_reports(child_ids: frozenset[str]) -> list[Report]:
    """Each meeting's newest version, newest meeting first."""
    candidates = db.session.scalars(
        select(Report).join(Course, Course.id == Report.course_id)
        .where(Course.child_id.in_(child_ids), Course.deleted_at.is_(None),
               Report.deleted_at.is_(None))
        .order_by(Report.meeting_id, Report.number.desc())
    )
    newest: dict[str, Report] = {}
    for report in candidates:
        newest.setdefault(report.meeting_id, report)
    return sorted(newest.values(), key=lambda r: r.snapshot["meeting"]["starts_at"],
                  reverse=True)
