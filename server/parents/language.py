"""The parents' pages in Danish or English (issue 21, point 8), chosen by the parent.

Every parents' page shows a switch ("English" on a Danish page, "Dansk" on an English one): a
plain link, so it works without JavaScript. Following it remembers the choice twice: in a
cookie on the phone (the pages' language from then on) and on the guardians the phone reads
for (``Guardian.language``), so their letters, notices and e-mails go in it too. A phone
without the cookie reads the pages in the language of the guardian whose link it opened,
else in Danish. The staff app stays Danish.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, request
from sqlalchemy import update
from werkzeug.wrappers import Response as WerkzeugResponse

from server.extensions import db
from server.models import Guardian
from server.text import LANGUAGES, catalogue
from server.text.catalogue import Catalogue

# Re-exported: the parents' routes and tests read the page's language here.
from server.text.words import COOKIE as COOKIE
from server.text.words import current as current
from server.text.words import page_words

# Nested in the parents' blueprint (server/blueprints.py): its refusal page and headers apply.
bp = Blueprint("language", __name__)
# A preference, not a credential: kept for a year, like any site's language choice.
COOKIE_SECONDS = 365 * 86400
_OWN_SITE = frozenset({"same-origin", "none"})


def for_guardian(guardian_id: str) -> None:
    """This page is for that guardian: without a choice on the phone, it is in theirs."""
    guardian = db.session.get(Guardian, guardian_id)
    if guardian is not None:
        g.trivsel_lang = guardian.language


def text() -> Catalogue:
    """The catalogue of this parents' page's language."""
    return catalogue(current())


@bp.app_context_processor
def _language() -> dict[str, Any]:
    """The words of the page's language for every template (a view passing its own ``t`` or
    ``da`` wins: a kept report page is made in each language, not in the request's)."""
    return page_words(current())


def _safe_next(target: str | None) -> str:
    """Back to the page the switch was on: only a path of the parents' pages (``next`` comes
    from a URL anyone can write, so never another site)."""
    if not target:
        return "/p/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/p/") or "\\" in target:
        return "/p/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.get("/language/<code>")
def switch(code: str) -> WerkzeugResponse:
    """Choose the pages' language: remembered on this phone, and for the guardians it reads
    for (their letters and e-mails). Another site's link changes only the cookie."""
    if code not in LANGUAGES:
        abort(404)
    resp = redirect(_safe_next(request.args.get("next")), code=303)
    resp.set_cookie(
        COOKIE,
        code,
        path="/p/",
        max_age=COOKIE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["TRIVSEL_ENV"] not in ("development", "testing"),
    )
    site = request.headers.get("Sec-Fetch-Site")
    if site is None or site in _OWN_SITE:
        remember(code)
    return resp


def remember(code: str) -> None:
    """Keep the choice on the guardians this phone reads for. A plain UPDATE that leaves
    ``updated_at`` as it was: the guardian's synced record has not changed for the tablets."""
    from server.parents import guardian_access  # the parents' pages import this module

    ids = [guardian.id for guardian in guardian_access.current_reader().guardians]
    if not ids:
        return
    db.session.execute(
        update(Guardian)
        .where(Guardian.id.in_(ids))
        .values(language=code, updated_at=Guardian.updated_at)
    )
    db.session.commit()
