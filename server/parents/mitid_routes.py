"""Parents sign in with MitID at /p/ through the municipality's OpenID Connect broker in front
of NemLog-in (issue 20), when ``PARENT_OIDC_ISSUER`` is set; without it these routes answer
404 and the personal links of server/parents/routes.py give access, as before.

``GET /p/login`` is the page with "Log ind med MitID" (every parents' page without a live
session sends the phone there); ``GET /p/login/start`` redirects to the broker (code flow,
PKCE, state, nonce: server/identity/); ``GET /p/login/callback`` checks the answer (issuer,
audience, expiry, nonce, a replayed callback refused, the assurance level) and reads the CPR
claim. The guardians it speaks for (custody_gate.children_for) each get a session of
PARENT_SESSION_HOURS on this phone, in the parents' one cookie; the CPR number itself is
neither stored nor logged. An assurance level below PARENT_MIN_LOA, a CPR number without
custody and a custody that ended later all get ``no_access_page``: the same bytes.
``POST /p/logout`` ends the phone's sessions and tells it to forget what it kept."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, make_response, redirect, render_template, request
from werkzeug.wrappers import Response

from server.extensions import db
from server.identity.errors import (
    ClaimMissing,
    CodeExchangeFailed,
    DiscoveryFailed,
    LoaTooLow,
    SignInError,
)
from server.identity.web import SignInFlow, app_flow
from server.parents import guardian_access
from server.parents.custody_gate import children_for
from server.parents.language import text as tr

CALLBACK_PATH = "/p/login/callback"
_log = logging.getLogger(__name__)

bp = Blueprint("parent_mitid", __name__)


@bp.record_once
def _say_the_mode(state: Any) -> None:
    """Which way parents get in, in the start's log: an operator sees the mode a deployment is
    in without reading its settings (docs/deploying.md)."""
    mode = "MitID" if state.app.config["PARENT_OIDC_ISSUER"] else "personal links"
    state.app.logger.info("parents sign in with: %s", mode)


def _flow() -> SignInFlow:
    """The parents' sign-in flow (404 without PARENT_OIDC_ISSUER)."""
    flow = app_flow("PARENT", "parent", CALLBACK_PATH)
    if flow is None:
        abort(404)
    return flow


def no_access_page() -> Response:
    """The one refusal of a MitID sign-in or session: the same bytes whatever the reason, so
    that a parent (or whoever holds their phone) learns nothing about custody from it."""
    # The language switch leads to /p/ whatever was asked: the address must not tell either.
    body = render_template("parent/no_access.html", t=tr().T, language_here="/p/")
    return Response(body, status=403, mimetype="text/html")


def _failed(text: str, status: int) -> Response:
    body = render_template("parent/signin_failed.html", t=tr().T, text=text)
    return Response(body, status=status, mimetype="text/html")


def _mitid_only() -> None:
    if not guardian_access.mitid_on():
        abort(404)


@bp.get("/login")
def login() -> str | Response:
    """The page with "Log ind med MitID"; a phone that reads already goes to its list."""
    _mitid_only()
    if guardian_access.cookie_secrets() and guardian_access.current_reader().guardians:
        return redirect("/p/", code=303)
    return render_template("parent/login.html", t=tr().T)


@bp.get("/login/start")
def start() -> Response:
    """A redirect to the MitID broker, the pending sign-in in its cookie."""
    _mitid_only()
    try:
        return _flow().start()
    except DiscoveryFailed:
        _log.warning("parent sign-in: the MitID broker's discovery failed")
        return _failed(tr().T["mitid_unavailable"], 502)


@bp.get("/login/callback")
def callback() -> Response:
    """Where the broker sends the phone back: sessions for the guardians this CPR number
    holds custody as, or the one refusal."""
    _mitid_only()
    flow = _flow()
    try:
        identity = flow.finish(request)
    except (LoaTooLow, ClaimMissing) as exc:
        _log.info("parent sign-in refused: %s", type(exc).__name__)
        return flow.clear(no_access_page())
    except (DiscoveryFailed, CodeExchangeFailed) as exc:
        _log.info("parent sign-in failed: %s", type(exc).__name__)
        return flow.clear(_failed(tr().T["mitid_unavailable"], 502))
    except SignInError as exc:
        _log.info("parent sign-in refused: %s", type(exc).__name__)
        return flow.clear(_failed(tr().T["mitid_failed"], 403))
    assert identity.cpr is not None  # the PARENT client requires the claim (ClaimMissing)
    guardians = children_for(identity.cpr)
    if not guardians:
        _log.info("parent sign-in refused: no custody")
        return flow.clear(no_access_page())
    if guardian_access.cookie_secrets():
        # One person per phone: whoever signed in on it before is signed out, and what the
        # phone kept of theirs is forgotten (the answer says "ended").
        guardian_access.end_phone()
    held = guardian_access.start_mitid_sessions(guardians)
    db.session.commit()
    _log.info("parent sign-in via=mitid sessions=%d", len(held))
    resp = redirect("/p/", code=303)
    guardian_access.set_cookie(resp, held)
    return flow.clear(resp)


@bp.post("/logout")
def logout() -> Response:
    """ "Log ud": the phone's sessions end on the server, and the answer tells the phone to
    empty what the parents' pages kept (as "Glem denne telefon" does)."""
    _mitid_only()
    guardian_access.end_phone()
    db.session.commit()
    resp = make_response(render_template("parent/logged_out.html", t=tr().T, forget=True))
    resp.delete_cookie(guardian_access.COOKIE, path="/p/")
    return resp
