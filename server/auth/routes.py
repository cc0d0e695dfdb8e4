"""Sign-in, sign-out and who-am-I for staff."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from server.auth import throttle
from server.auth.current import current_user
from server.auth.modes import require_password_login
from server.auth.passwords import verify_password
from server.auth.schemas import CsrfSchema, LoginSchema, SessionSchema
from server.auth.sessions import end_session, start_session
from server.errors import ApiError
from server.extensions import db
from server.models import User

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign-in for staff")


def _session_payload(user: User) -> dict[str, Any]:
    return {"user": user, "csrf_token": generate_csrf()}


@blp.route("/csrf")
class Csrf(MethodView):
    @blp.response(200, CsrfSchema)
    def get(self) -> dict[str, str]:
        """Get a CSRF token for this browser's session."""
        return {"csrf_token": generate_csrf()}


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, SessionSchema)
    @blp.alt_response(429, description="Too many attempts: wait the Retry-After seconds.")
    def post(self, creds: dict[str, str]) -> dict[str, Any]:
        """Sign in with e-mail and password; sets an HttpOnly session cookie.

        404 when local passwords are off (``PASSWORD_LOGIN=0``). Throttled per address and
        per address+account (see docs/security.md): a 429 carries how long to wait in its
        Retry-After header."""
        require_password_login()
        email = creds["email"].strip().lower()
        attempt = throttle.admit(request.remote_addr or "", email)
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        ok = verify_password(user.password_hash if user else None, creds["password"])
        if user is None or not ok or not user.active:
            attempt.settle(succeeded=False)
            raise ApiError(401, "Wrong e-mail or password.", "invalid_credentials")
        attempt.settle(succeeded=True)
        start_session(user)
        db.session.commit()
        current_app.logger.info("login user=%s", user.id)
        return _session_payload(user)


@blp.route("/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self) -> None:
        """Sign out on this device."""
        end_session()
        db.session.commit()


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, SessionSchema)
    def get(self) -> dict[str, Any]:
        """Who is signed in (401 when nobody)."""
        return _session_payload(current_user())
