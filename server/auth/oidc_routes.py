"""Staff sign in through the municipality's identity provider (issue 20): Entra ID, AD FS or a
broker for KOMBIT's Fælleskommunal Adgangsstyring, over OpenID Connect.

``GET /api/auth/oidc/login`` redirects to the provider; ``GET /api/auth/oidc/callback``
finishes the sign-in (server/identity/: PKCE, state, nonce, the ID token's checks, the
assurance level, a replayed callback refused), then takes the role from ``STAFF_ROLE_CLAIM``
through ``STAFF_ROLES`` and the institution from ``STAFF_INSTITUTION_CLAIM`` by the
institution's external id. The account is found by (issuer, subject), made at the first
sign-in, and given the provider's role and institution at every one: a change ends the
person's other sessions (the mapper event in server/auth/sessions.py), so the provider, not
Trivsel, decides who may reach what. A refusal is a Danish page naming whom to ask.

Both routes are GETs the browser navigates to (no CSRF token: the callback is bound to the
browser that began it by the pending cookie's state, server/identity/pending.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app, redirect, request
from flask.views import MethodView
from flask_smorest import Blueprint
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug import Response

from server.auth.modes import password_login_on, resolve_password_login, staff_oidc_on
from server.auth.schemas import SignInMethodsSchema
from server.auth.sessions import revoke_all, start_session
from server.errors import ApiError
from server.extensions import db
from server.identity import settings
from server.identity.errors import (
    CodeExchangeFailed,
    DiscoveryFailed,
    LoaTooLow,
    NoStaffRole,
    SignInError,
)
from server.identity.oidc import VerifiedIdentity
from server.identity.web import SignInFlow, app_flow
from server.models import Institution, User
from server.models._common import ROLES, utcnow
from server.text import accounts as da
from server.users import log

CALLBACK_PATH = "/api/auth/oidc/callback"
_log = logging.getLogger(__name__)

blp = Blueprint(
    "oidc",
    __name__,
    url_prefix="/api/auth",
    description="Staff sign in through the municipality's identity provider",
)


@blp.record_once
def _setup(state: Any) -> None:
    """At registration: refuse a start with identity settings that could not work, and
    resolve ``PASSWORD_LOGIN`` once."""
    from server.config import ConfigError

    config = state.app.config
    # production=False: server/config.py has already required CPR_KEY outside development
    # (and given development its own); every other problem stops the start wherever it runs.
    found = settings.problems(config, production=False, known_roles=ROLES)
    if found:
        raise ConfigError(" ".join(found))
    config["PASSWORD_LOGIN_ON"] = resolve_password_login(config)


def _flow() -> SignInFlow:
    """The staff sign-in flow (404 without STAFF_OIDC_ISSUER)."""
    flow = app_flow("STAFF", "staff", CALLBACK_PATH)
    if flow is None:
        raise ApiError(404, "Not found.", "not_found")
    return flow


@dataclass
class Refused(Exception):
    """A sign-in the provider vouched for that Trivsel does not let in."""

    kind: str  # a key of server/text/accounts.py's SIGN_IN
    status: int = 403


# Both routes are navigations a browser makes: their answers are a redirect or a Danish page,
# not JSON, and the document says so (the fuzzer holds every answer to it).
_PAGE = {"text/html": {"schema": {"type": "string"}}}


@blp.route("/oidc/login")
class OidcLogin(MethodView):
    @blp.doc(
        responses={
            "303": {"description": "A redirect to the identity provider."},
            "502": {"description": "The identity provider cannot be reached.", "content": _PAGE},
        }
    )
    def get(self) -> Response:
        """Sign in through the municipality's identity provider: a redirect to it (404 when
        ``STAFF_OIDC_ISSUER`` is not set)."""
        if not staff_oidc_on():
            raise ApiError(404, "Not found.", "not_found")
        try:
            return _flow().start()
        except DiscoveryFailed:
            _log.warning("staff sign-in: the identity provider's discovery failed")
            return _page("unavailable", 502)


@blp.route("/oidc/callback")
class OidcCallback(MethodView):
    @blp.doc(
        responses={
            "303": {"description": "Signed in: back into the app."},
            "403": {"description": "Refused: a page saying why and whom to ask.", "content": _PAGE},
            "502": {"description": "The identity provider cannot be reached.", "content": _PAGE},
        }
    )
    def get(self) -> Response:
        """Where the provider sends the browser back: signs the person in and opens the app,
        or shows a Danish page saying why not and whom to ask."""
        if not staff_oidc_on():
            raise ApiError(404, "Not found.", "not_found")
        flow = _flow()
        try:
            identity = flow.finish(request)
            user = sign_in(identity)
        except Refused as refused:
            db.session.commit()  # what a refusal ended (sessions) stays ended
            return flow.clear(_page(refused.kind, refused.status))
        except SignInError as exc:
            db.session.rollback()
            _log.info("staff sign-in refused: %s", type(exc).__name__)
            if isinstance(exc, LoaTooLow):
                return flow.clear(_page("loa", 403))
            if isinstance(exc, DiscoveryFailed | CodeExchangeFailed):
                return flow.clear(_page("unavailable", 502))
            return flow.clear(_page("failed", 403))
        start_session(user)
        db.session.commit()
        current_app.logger.info("login user=%s via=oidc", user.id)
        return flow.clear(redirect("/", 303))


def sign_in(identity: VerifiedIdentity) -> User:
    """The account the provider's identity stands for, made or brought up to date from its
    claims (not yet committed); ``Refused`` when Trivsel lets it in nowhere."""
    config = current_app.config
    user = db.session.scalar(
        select(User).where(
            User.oidc_issuer == identity.issuer, User.oidc_subject == identity.subject
        )
    )
    mapping = settings.parse_staff_roles(str(config["STAFF_ROLES"]), ROLES)
    try:
        role = settings.staff_role(identity.claims, str(config["STAFF_ROLE_CLAIM"]), mapping)
    except NoStaffRole:
        if user is not None:
            # The provider took the role away: whatever this person was signed in with
            # ends now, not at their session's idle limit.
            db.session.execute(revoke_all(user.id))
            log.entry("login_refused", user.id, "no Trivsel role at the municipality's login", user)
        _log.info("staff sign-in refused: no Trivsel role")
        raise Refused("no_role") from None
    institution_id = _institution(identity.claims, role)
    if user is None:
        user = _link_or_provision(identity, role, institution_id)
    if not user.active:
        raise Refused("inactive")
    changed = [
        f"{name}: {getattr(user, name)} -> {value}"
        for name, value in (("role", role), ("institution_id", institution_id))
        if getattr(user, name) != value
    ]
    if changed:
        log.entry(
            "login_changed", user.id, "from the municipality's login: " + ", ".join(changed), user
        )
    user.role, user.institution_id = role, institution_id
    name = identity.claims.get("name")
    if isinstance(name, str) and name.strip():
        user.name = name.strip()[:200]
    # Flushed before the new session exists: a role or institution that changed ends the
    # person's other sessions (server/auth/sessions.py), and only those.
    db.session.flush()
    return user


def _institution(claims: Any, role: str) -> str | None:
    """The institution whose external id the claim names; an educator must have one."""
    value = claims.get(str(current_app.config["STAFF_INSTITUTION_CLAIM"]))
    found = None
    if isinstance(value, str) and value.strip():
        found = db.session.scalar(
            select(Institution.id).where(Institution.external_id == value.strip())
        )
    if found is None and role == "educator":
        raise Refused("institution")
    return found


def _link_or_provision(identity: VerifiedIdentity, role: str, institution_id: str | None) -> User:
    """The first sign-in: link the local account with the same e-mail only when the provider
    says it verified that address; otherwise make a new account.

    Linking on an e-mail the provider did not verify would let anyone who can set their own
    e-mail at a provider (a guest account, a tenant they control) take over the local account
    that has it (the "nOAuth" mistake); so an unverified clash is refused and an admin links
    the account by hand."""
    claims = identity.claims
    email = claims.get("email") or claims.get("preferred_username")
    if not isinstance(email, str) or "@" not in email:
        _log.info("staff sign-in refused: no e-mail claim")
        raise Refused("failed")
    email = email.strip().lower()[:254]
    existing = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if existing is not None:
        if (
            existing.oidc_subject is not None
            or claims.get("email_verified") is not True
            or claims.get("email", "").strip().lower() != email
        ):
            # The ids an operator needs to link them by hand (flask identity link): the
            # account's and the provider's opaque subject, no claim.
            _log.info(
                "staff sign-in refused: a local account has the e-mail (user=%s subject=%s)",
                existing.id,
                identity.subject,
            )
            raise Refused("email_taken")
        existing.oidc_issuer, existing.oidc_subject = identity.issuer, identity.subject
        log.entry("login_linked", existing.id, "linked to the municipality's login", existing)
        return existing
    name = claims.get("name")
    user = User(
        email=email,
        name=name.strip()[:200] if isinstance(name, str) and name.strip() else email,
        role=role,
        institution_id=institution_id,
        password_hash="",
        active=True,
        approved_at=utcnow(),
        oidc_issuer=identity.issuer,
        oidc_subject=identity.subject,
    )
    db.session.add(user)
    db.session.flush()
    log.entry(
        "login_created",
        user.id,
        f"created at the first sign-in through the municipality's login: role {role}",
        user,
    )
    return user


def _page(kind: str, status: int) -> Response:
    """A refusal as a small Danish page (the browser came here by navigation, not fetch)."""
    heading, text = da.SIGN_IN[kind]
    body = (
        f'<!doctype html><html lang="da"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)} - Trivsel</title></head><body><main>"
        f"<h1>{escape(heading)}</h1><p>{escape(text)}</p>"
        f'<p><a href="/">{escape(da.SIGN_IN_BACK)}</a></p></main></body></html>'
    )
    return Response(
        body, status=status, mimetype="text/html", headers={"Cache-Control": "no-store"}
    )


@blp.route("/methods")
class SignInMethods(MethodView):
    @blp.response(200, SignInMethodsSchema)
    def get(self) -> dict[str, Any]:
        """How staff sign in here: with a password, through the municipality's login, or
        both. The sign-in screen shows what is on; the admin screens say that accounts come
        from the municipality's login when it is."""
        return {
            "password": password_login_on(),
            "oidc": staff_oidc_on(),
            "oidc_login_url": "/api/auth/oidc/login" if staff_oidc_on() else None,
        }
