"""The parents' pages under /p/: server-rendered, small, readable on a phone and offline.

Every failure — a used, expired or tampered link, no session, a revoked session, a guessed
id, another child's report — gets the same plain 404 page, so nothing can be learnt by
trying. Every reading is written to the audit log, which parents can read at /p/access.

A phone keeps what it read for offline reading (static/parent-sw.js). Every answer says
what the phone's own sessions are (``Trivsel-Access``): "live", with how long kept pages may
be shown offline; or "ended" (access closed, custody ended, session unknown or expired, or
the parent's "Glem denne telefon"), with Clear-Site-Data, and the phone forgets all it kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
)
from flask_wtf.csrf import CSRFError
from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse

from server import audit
from server.database import end_read, read_only
from server.extensions import db
from server.letters.ics import next_meeting_ics
from server.models import (
    AuditEntry,
    Child,
    Course,
    Guardian,
    GuardianInvitation,
    Report,
    ReportPage,
    ReportReading,
)
from server.models._common import utcnow
from server.parents import guardian_access, language
from server.parents.access_words import describe, fetches
from server.parents.comments import as_filed, comments_part
from server.parents.language import text as tr
from server.parents.mitid_routes import no_access_page
from server.parents.sender import of_report
from server.photos.copies import send_report_photo
from server.reports import frozen
from server.reports.compose import report_photos
from server.reports.pdf import report_pdf
from server.reports.pdf_kit import DocumentFailed

bp = Blueprint("parent", __name__, url_prefix="/p", template_folder="templates")

T = TypeVar("T")
STATIC = Path(__file__).parent / "static"
# The newest audit entries read for a phone's access log (grouped into lines by day), and
# how many days one page of it shows.
ACCESS_LOG_ROWS = 2000
ACCESS_LOG_DAYS = 31
# Sec-Fetch-Site values of a request this site's own pages made ("none": the user's own
# navigation, e.g. a bookmark).
_OWN_SITE = frozenset({"same-origin", "none"})
# The phone's access as this answer saw it, read by the service worker and the pages' script.
ACCESS_HEADER = "Trivsel-Access"
OFFLINE_HEADER = "Trivsel-Offline-Seconds"


@bp.errorhandler(404)
@bp.errorhandler(CSRFError)
def refused(_error: Exception) -> tuple[str, int]:
    """The one refusal: a failed CSRF check looks like every other failure, and nothing has
    been used up (the link still works from the page's own button)."""
    # The same page for every failure, byte for byte: its language switch leads to /p/, not
    # back to the address tried.
    return render_template("parent/refused.html", t=tr().T, language_here="/p/"), 404


@bp.errorhandler(guardian_access.SignInNeeded)
def sign_in_needed(error: guardian_access.SignInNeeded) -> WerkzeugResponse:
    """MitID on and no live session: a session that was ended (custody ended, logged out)
    gets the one no-access page; none or an expired one, the sign-in page."""
    if error.ended:
        return no_access_page()
    return redirect("/p/login", code=303)


@bp.errorhandler(DocumentFailed)
def document_failed(_error: DocumentFailed) -> tuple[str, int]:
    """A PDF that cannot be made (server/reports/pdf_kit.py): said in Danish, not as JSON."""
    return render_template("parent/document_failed.html", t=tr().T), 422


@bp.before_request
def _same_site_writes_only() -> None:
    """Every POST under /p/ must come from these pages: besides the form's CSRF token
    (Flask-WTF, checked before this), a browser's Origin and Sec-Fetch-Site must not name
    another site. An invitation redeemed from another site into a victim's phone (login
    CSRF) and a consent answered by a foreign page are refused alike."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in _OWN_SITE:
        abort(404)
    origin = request.headers.get("Origin")
    # "null" is what these pages' own forms send: their Referrer-Policy is no-referrer (the
    # invitation's secret is in the URL), and browsers then hide the origin of a POST.
    if origin not in (None, "null") and not _is_own_origin(origin):
        abort(404)


def _is_own_origin(origin: str) -> bool:
    """Origin names this server: the host the request came to, or the configured PUBLIC_URL
    (behind a proxy that rewrites Host)."""
    host = urlsplit(origin).netloc
    public = urlsplit(current_app.config["PUBLIC_URL"]).netloc
    return host in (request.host, public)


@bp.after_request
def _headers(resp: Response) -> Response:
    # Cache-Control (no-store) and Referrer-Policy (no-referrer: the invitation's secret is in
    # the URL) come from the one hook that sets them on every answer, server/web/headers.py.
    resp.headers["X-Robots-Tag"] = "noindex"
    state = guardian_access.access_state()
    if state == "live":
        resp.headers[ACCESS_HEADER] = "live"
        resp.headers[OFFLINE_HEADER] = str(current_app.config["PARENT_OFFLINE_DAYS"] * 86400)
    elif state == "ended":
        _forget(resp)
    return resp


def _forget(resp: Response) -> None:
    """Tell the phone its access has ended: its service worker (and the pages' script, for a
    phone without one) empties every cache of the parents' app and stops serving kept pages;
    browsers that honour Clear-Site-Data empty them too (not all do, e.g. Safari, and none
    for an answer fetched by a service worker). The cookie keeps only live sessions."""
    resp.headers[ACCESS_HEADER] = "ended"
    clear = _site_data_to_clear()
    if clear:
        resp.headers["Clear-Site-Data"] = clear
    # Refusals never set the parents' cookie (one refusal for every failure): the next
    # answer that is not one, e.g. the pages' /p/online check, tidies it.
    if resp.status_code < 400 and not any(
        h.startswith(f"{guardian_access.COOKIE}=") for h in resp.headers.getlist("Set-Cookie")
    ):
        live = guardian_access.live_secrets()
        if live:
            _set_phone_cookie(resp, live)
        else:
            resp.delete_cookie(guardian_access.COOKIE, path="/p/")


def _site_data_to_clear() -> str:
    """Clear-Site-Data's types for an "ended" answer: the HTTP cache only, and nothing at all
    when another site made the request (a foreign page must not clear anything by loading an
    image from /p/). Never "storage": the parents' pages share their origin with the staff
    app, whose IndexedDB may hold a meeting's unsent notes and photos, and "storage" empties
    the whole origin. Which browser is a staff tablet cannot be told from a request (a lapsed
    staff sign-in looks like none), so the parents' service worker and page script empty
    the parents' own caches themselves (parent-sw.js, parent.js)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in _OWN_SITE:
        return ""
    return '"cache"'


def _set_phone_cookie(resp: WerkzeugResponse, secrets: list[str]) -> None:
    """The phone's cookie: the secrets of the sessions it holds (at most five)."""
    guardian_access.set_cookie(resp, secrets)


def _link_target(to: str, invitation: GuardianInvitation | None = None) -> str:
    """Where a link leads: the consent page (``?to=consent``), else the report its message
    was about, else the list. Only these: ``to`` comes from a URL anyone can write."""
    if to == "consent":
        return "/p/consent"
    if invitation is not None and invitation.meeting_id:
        return f"/p/reports/{invitation.meeting_id}"
    return "/p/"


@bp.get("/invitation/<secret>")
def invitation(secret: str) -> str | WerkzeugResponse:
    """A page with one button: a mail scanner that follows the link uses nothing up.

    A phone that already reads for the link's guardian, or opens a used or expired link
    while it has access, goes straight to what the link was about (issue 21: tapping the
    message again is the natural way back). With MitID on, a link grants nothing: /p/ asks
    for MitID."""
    to = "consent" if request.args.get("to") == "consent" else ""
    if guardian_access.mitid_on():
        return redirect("/p/", code=303)
    found = guardian_access.peek(secret)
    if guardian_access.cookie_secrets():
        reader = guardian_access.current_reader()
        # An unused link of a guardian this phone does not read for yet (a second child's)
        # still shows its button; any other link of a phone with access leads on.
        new = found is not None and reader.guardian_by_id(found.guardian_id) is None
        if reader.guardians and not new:
            return redirect(_own_link_target(reader, secret, to), code=303)
    if found is None:
        abort(404)
    # A parent who chose English gets their link's page in English on a new phone too.
    language.for_guardian(found.guardian_id)
    return render_template("parent/invitation.html", t=tr().T, secret=secret, to=to)


def _own_link_target(reader: guardian_access.Reader, secret: str, to: str) -> str:
    """Where a phone with access goes from a link: what the link was about if the link is
    one of its guardians' (used or not), else its list. A link of another guardian is not
    used up here: the phone has access already, and the link's owner may still need it."""
    invitation = guardian_access.find(secret)
    if invitation is not None and reader.guardian_by_id(invitation.guardian_id) is not None:
        return _link_target(to, invitation)
    return "/p/"


@bp.post("/invitation/<secret>")
def redeem(secret: str) -> WerkzeugResponse:
    to = "consent" if request.args.get("to") == "consent" else ""
    if guardian_access.mitid_on():
        return redirect("/p/", code=303)
    session_secret = guardian_access.redeem(secret)
    if session_secret is None:
        # The button pressed twice, or the page kept open after the link was used: a phone
        # with access goes on, any other gets the one refusal.
        if guardian_access.cookie_secrets():
            reader = guardian_access.current_reader()
            if reader.guardians:
                return redirect(_own_link_target(reader, secret, to), code=303)
        abort(404)
    db.session.commit()
    # Every tap, the first included, leads to what the message was about (issue 21).
    resp = redirect(_link_target(to, guardian_access.find(secret)), code=303)
    # Sessions this phone held that have ended are dropped (and what it kept is forgotten:
    # current_reader notes them, _headers tells the phone).
    guardian_access.current_reader()
    held = [s for s in guardian_access.live_secrets() if s != session_secret]
    _set_phone_cookie(resp, [session_secret, *held])
    return resp


@bp.post("/forget")
def forget() -> Response:
    """ "Glem denne telefon": this phone's sessions end on the server, and the answer tells the
    phone to empty everything the parents' app kept on it."""
    guardian_access.end_phone()
    db.session.commit()
    resp = make_response(render_template("parent/forgotten.html", t=tr().T, forget=True))
    resp.delete_cookie(guardian_access.COOKIE, path="/p/")
    return resp


@bp.get("/")
def index() -> str:
    reader = guardian_access.required_reader()
    reports = _latest_reports(reader.child_ids)
    page = render_template(
        "parent/index.html",
        t=tr().T,
        da=tr(),
        reports=reports,
        parse=datetime.fromisoformat,
        mitid=guardian_access.mitid_on(),
    )
    guardian_access.touch_sessions()
    db.session.commit()
    return page


def _serve(
    meeting_id: str, entity: str, make: Callable[[Report, Guardian], T], receipt: bool = False
) -> T:
    """One view of a report: read and make the answer for this guardian (read-only), then
    record the reading (audit entry, read receipt, session use) in a short write."""
    with read_only():
        report, guardian = _readable(meeting_id)
        result = make(report, guardian)
        seen = _Seen.of(
            report.id, report.meeting_id, report.course_id, report.snapshot["child"]["id"], guardian
        )
        end_read(db.session)
    _record(seen, entity, receipt)
    return result


@bp.get("/reports/<meeting_id>")
def report_page(meeting_id: str) -> str:
    """The page kept since publication, with the parents' comments as they are now."""
    saved = {"saved": tr().STORY["comment_saved"], "withdrawn": tr().STORY["comment_withdrawn"]}
    notice = saved.get(request.args.get("comment", ""), "")
    # The page as kept in the phone's language (issue 21): one column or the other.
    html = ReportPage.html_en if language.current() == "en" else ReportPage.html
    with read_only():
        kept, guardian = _kept(meeting_id, html)
        page = frozen.with_comments(
            kept.body, comments_part(kept.meeting_id, guardian, saved=notice)
        )
        seen = _Seen.of(kept.report_id, kept.meeting_id, kept.course_id, kept.child_id, guardian)
        end_read(db.session)
    _record(seen, "report", receipt=True, keep=kept.missing)
    return page


def render_report(report: Report, comments: str) -> str:
    """A version's page (kept since publication, else made now) with this comments part."""
    lang = language.current()
    page = db.session.get(ReportPage, report.id)
    html = page.html_en if page is not None and lang == "en" else page.html if page else None
    return frozen.with_comments(html or frozen.render_page(report, lang), comments)


@bp.get("/reports/<meeting_id>.json")
def report_json(meeting_id: str) -> Response:
    with read_only():
        kept, guardian = _kept(meeting_id, ReportPage.json_body)
        seen = _Seen.of(kept.report_id, kept.meeting_id, kept.course_id, kept.child_id, guardian)
        end_read(db.session)
    _record(seen, "report", receipt=True, keep=kept.missing)
    # As jsonify answers (its text and the newline after it).
    return current_app.response_class(f"{kept.body}\n", mimetype="application/json")


@bp.get("/reports/<meeting_id>.pdf")
def report_pdf_download(meeting_id: str) -> Response:
    def make(report: Report, guardian: Guardian) -> Response:
        name = f"trivselsmoede-{report.snapshot['meeting']['starts_at'][:10]}.pdf"
        # The comments this guardian may read (comments.readable_by), not the staff's all.
        pdf = report_pdf(report, as_filed(report.meeting_id, guardian), language.current())
        resp = Response(pdf, mimetype="application/pdf")
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return resp

    return _serve(meeting_id, "report_pdf", make)


@bp.get("/reports/<meeting_id>.ics")
def report_ics(meeting_id: str) -> Response:
    def make(report: Report, _guardian: Guardian) -> Response:
        body = next_meeting_ics(report.snapshot, report.id, language.current())
        if body is None:
            abort(404)  # no next meeting was agreed
        resp = Response(body, mimetype="text/calendar")
        resp.headers["Content-Disposition"] = 'attachment; filename="naeste-trivselsmoede.ics"'
        return resp

    return _serve(meeting_id, "report_ics", make)


@bp.get("/reports/<meeting_id>/photos/<photo_id>")
def photo(meeting_id: str, photo_id: str) -> Response:
    """The phone-sized copy; ``?full=1`` the cleaned original."""
    item = _serve(meeting_id, "board_photo", lambda r, _g: _photo_of(r, photo_id))
    return send_report_photo(item, full=request.args.get("full") == "1")


@bp.get("/reports/<meeting_id>/photos/<photo_id>/view")
def photo_view(meeting_id: str, photo_id: str) -> str:
    with read_only():
        report, _guardian = _readable(meeting_id)
        page = render_template(
            "parent/photo.html",
            t=tr().T,
            r=report,
            photo=_photo_of(report, photo_id),
            sender=of_report(report.snapshot),
        )
        end_read(db.session)
    return page


@bp.get("/access")
def access_log() -> str:
    """Who at the municipality has opened or changed the children's data, and apart from
    that, which tablets fetched the course by themselves to work offline (one line a day);
    ``ACCESS_LOG_DAYS`` days at a time, newest first (``?before=<date>``: the days before)."""
    reader = guardian_access.required_reader()
    end = _access_log_end(request.args.get("before", ""))
    start = end - timedelta(days=ACCESS_LOG_DAYS)
    staff = (AuditEntry.child_id.in_(reader.child_ids), AuditEntry.actor_type != "guardian")
    window = (AuditEntry.at >= start, AuditEntry.at < end)
    fetch = (AuditEntry.action == audit.FETCH[0]) & (AuditEntry.entity == audit.FETCH[1])
    # A window of days, each read the newest rows first (ix_audit_child_at): the page's cost
    # does not grow as months of syncs pile up, and the tablets' entries never crowd
    # people's readings out of it.
    opened = db.session.scalars(
        select(AuditEntry)
        .where(*staff, *window, ~fetch)
        .order_by(AuditEntry.at.desc())
        .limit(ACCESS_LOG_ROWS)
    ).all()
    fetched = db.session.scalars(
        select(AuditEntry)
        .where(*staff, *window, fetch)
        .order_by(AuditEntry.at.desc())
        .limit(ACCESS_LOG_ROWS)
    ).all()
    older = db.session.scalar(select(AuditEntry.id).where(*staff, AuditEntry.at < start).limit(1))
    children = {
        c.id: c.first_name
        for c in db.session.scalars(select(Child).where(Child.id.in_(reader.child_ids)))
    }
    page = render_template(
        "parent/access.html",
        t=tr().T,
        da=tr(),
        lines=describe(opened),
        fetches=fetches(fetched),
        children=children if len(children) > 1 else {},
        since=tr().day(start.date()),
        days=ACCESS_LOG_DAYS,
        older=start.date().isoformat() if older is not None else "",
        newer=end < _access_log_end(""),
    )
    guardian_access.touch_sessions()
    db.session.commit()
    return page


def _access_log_end(before: str) -> datetime:
    """The end of the access log's window: the start of the given (Danish) day, or of
    tomorrow (a date that is not one, or in the future, is tomorrow)."""
    tomorrow = utcnow().astimezone(tr().LOCAL).date() + timedelta(days=1)
    try:
        day = min(date.fromisoformat(before), tomorrow)
    except ValueError:
        day = tomorrow
    return datetime.combine(day, time(), tr().LOCAL)


@bp.get("/offline")
def offline_page() -> str:
    """Shown by the service worker for a page that was never read on this phone."""
    return render_template("parent/offline.html", t=tr().T, notice=tr().T["offline_missing"])


@bp.get("/stale")
def stale_page() -> str:
    """Shown by the service worker offline once its last answer from the server is older
    than PARENT_OFFLINE_DAYS: it has deleted what it kept."""
    notice = tr().T["offline_stale"].format(days=current_app.config["PARENT_OFFLINE_DAYS"])
    return render_template("parent/offline.html", t=tr().T, notice=notice)


@bp.get("/online")
def online() -> Response:
    """Answers when the server can be reached (the pages' offline notice asks), and says
    whether this phone's access lives on (_headers)."""
    guardian_access.current_reader()
    return Response(status=204)


@bp.get("/sw.js")
def service_worker() -> Response:
    # Cache-Control: no-cache from server/web/headers.py (PUBLIC), so updates reach phones.
    return send_file(STATIC / "parent-sw.js", mimetype="text/javascript")


@bp.get("/app.js")
def page_script() -> Response:
    """The pages' one script (a file, not inline: the pages' CSP allows no inline script)."""
    return send_file(STATIC / "parent.js", mimetype="text/javascript")


def readable_report(meeting_id: str) -> tuple[Report, Guardian]:
    """The newest published version, if this phone speaks for a guardian of its child
    (else the parents' 404)."""
    return _readable(meeting_id)


def _readable(meeting_id: str) -> tuple[Report, Guardian]:
    """The newest published version, if this phone speaks for a guardian of its child."""
    reader = guardian_access.required_reader()  # first: the answer says the phone's access
    try:
        uuid.UUID(meeting_id)
    except ValueError:
        abort(404)
    report = db.session.scalar(
        select(Report)
        .join(Course, Course.id == Report.course_id)
        .where(
            Report.meeting_id == meeting_id,
            Report.deleted_at.is_(None),
            Course.deleted_at.is_(None),
        )
        .order_by(Report.number.desc())
        .limit(1)
    )
    if report is None:
        abort(404)
    guardian = reader.guardian_of(report.snapshot["child"]["id"])
    if guardian is None:
        abort(404)
    return report, guardian


def _photo_of(report: Report, photo_id: str) -> dict[str, Any]:
    for item in report_photos(report.snapshot):
        if item["id"] == photo_id:
            return dict(item)
    abort(404)


@dataclass(frozen=True)
class _Seen:
    """Who read which version: plain values that outlive the read phase's transaction."""

    report_id: str
    meeting_id: str
    course_id: str
    child_id: str
    guardian_id: str
    actor_name: str
    guardian_label: str

    @classmethod
    def of(
        cls, report_id: str, meeting_id: str, course_id: str, child_id: str, guardian: Guardian
    ) -> _Seen:
        return cls(
            report_id,
            meeting_id,
            course_id,
            child_id,
            guardian.id,
            guardian_access.actor_name(guardian),
            guardian_access.label(guardian),
        )


# (report id, guardian id) pairs known to have a receipt: receipts are never removed, so a
# process may remember them and skip the lookup on every later view.
_RECEIPTS: set[tuple[str, str]] = set()


def _record(seen: _Seen, entity: str, receipt: bool = False, keep: bool = False) -> None:
    """The write phase of a view, kept short: the audit entry, the guardian's first reading
    of this version (a read receipt for staff), the session's last use; ``keep``: the
    version's page is not kept yet (published before pages were), so keep it now."""
    audit.record_guardian(
        seen.guardian_id, seen.actor_name, "read", entity, seen.report_id, seen.child_id
    )
    guardian_access.touch_sessions()
    key = (seen.report_id, seen.guardian_id)
    if receipt and key not in _RECEIPTS:
        known = db.session.scalar(
            select(ReportReading.id).where(
                ReportReading.report_id == seen.report_id,
                ReportReading.guardian_id == seen.guardian_id,
            )
        )
        if known is None:
            try:
                with db.session.begin_nested():  # two tabs at once: one receipt, no error
                    db.session.add(
                        ReportReading(
                            report_id=seen.report_id,
                            guardian_id=seen.guardian_id,
                            meeting_id=seen.meeting_id,
                            course_id=seen.course_id,
                            guardian_label=seen.guardian_label,
                            read_at=utcnow(),
                        )
                    )
            except IntegrityError:
                pass
    if keep:
        _keep_page(seen.report_id)
    db.session.commit()
    if receipt and key not in _RECEIPTS:  # remembered only once it is surely written
        if len(_RECEIPTS) > 100_000:  # bounded memory: forgetting only costs a lookup
            _RECEIPTS.clear()
        _RECEIPTS.add(key)


def _keep_page(report_id: str) -> None:
    report = db.session.get(Report, report_id)
    assert report is not None  # read in this request; versions are never removed
    page = db.session.get(ReportPage, report_id)
    if page is not None:  # kept before English existed: its English page is made once, now
        if page.html_en is None:
            page.html_en = frozen.render_page(report, "en")
        return
    try:
        with db.session.begin_nested():  # two first views at once: one page, no error
            frozen.freeze(report)
    except IntegrityError:
        pass


@dataclass(frozen=True)
class _Kept:
    """The newest published version of a meeting as kept for the phones (frozen.py)."""

    report_id: str
    meeting_id: str
    course_id: str
    child_id: str
    body: str  # its page or its JSON
    missing: bool  # not kept yet: ``body`` was made for this view


def _newest_kept(body: Any) -> Select[Any]:
    """The newest live version of a meeting's report, with its course's child and ``body``
    (None when not kept yet). Built once per column: see guardian_access._LIVE_SESSIONS."""
    return (
        select(Report.id, Report.course_id, Course.child_id, body)
        .join(Course, Course.id == Report.course_id)
        .outerjoin(ReportPage, ReportPage.report_id == Report.id)
        .where(
            Report.meeting_id == bindparam("meeting_id"),
            Report.deleted_at.is_(None),
            Course.deleted_at.is_(None),
        )
        .order_by(Report.number.desc())
        .limit(1)
    )


_KEPT_PAGE, _KEPT_JSON = _newest_kept(ReportPage.html), _newest_kept(ReportPage.json_body)
_KEPT_PAGE_EN = _newest_kept(ReportPage.html_en)


def _kept(meeting_id: str, body: Any) -> tuple[_Kept, Guardian]:
    """The newest published version's kept ``body`` (a ReportPage column), if this phone
    speaks for a guardian of its child (else the parents' 404): one query."""
    reader = guardian_access.required_reader()  # first: the answer says the phone's access
    try:
        uuid.UUID(meeting_id)
    except ValueError:
        abort(404)
    statement = _KEPT_JSON
    if body is ReportPage.html:
        statement = _KEPT_PAGE
    elif body is ReportPage.html_en:
        statement = _KEPT_PAGE_EN
    row = db.session.execute(statement, {"meeting_id": meeting_id}).one_or_none()
    if row is None:
        abort(404)
    report_id, course_id, child_id, text = row
    guardian = reader.guardian_of(child_id)
    if guardian is None:
        abort(404)
    missing = text is None
    if missing:
        report = db.session.get(Report, report_id)
        assert report is not None
        if body is ReportPage.json_body:
            text = frozen.render_json(report)
        else:
            text = frozen.render_page(report, "en" if body is ReportPage.html_en else "da")
    return _Kept(report_id, meeting_id, course_id, child_id, text, missing), guardian


def _latest_reports(child_ids: frozenset[str]) -> list[Report]:
    """Each meeting's newest version, newest meeting first."""
    candidates = db.session.scalars(
        select(Report)
        .join(Course, Course.id == Report.course_id)
        .where(
            Course.child_id.in_(child_ids), Course.deleted_at.is_(None), Report.deleted_at.is_(None)
        )
        .order_by(Report.meeting_id, Report.number.desc())
    )
    newest: dict[str, Report] = {}
    for report in candidates:
        newest.setdefault(report.meeting_id, report)
    return sorted(newest.values(), key=lambda r: r.snapshot["meeting"]["starts_at"], reverse=True)
