"""Server-side sessions: the signed cookie carries only a random session id."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, g, has_request_context, session
from sqlalchemy import Connection, Update, bindparam, event, inspect, select, update
from sqlalchemy.orm import Mapper

from server.extensions import db
from server.models import AuthSession, User
from server.models._common import utcnow

# Writing last_seen on every request would turn each read into a write; once a minute is enough.
_TOUCH_EVERY = timedelta(minutes=1)


def start_session(user: User) -> AuthSession:
    """Sign a user in on this device: a fresh session id (no fixation) in a fresh cookie."""
    now = utcnow()
    row = AuthSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        last_seen_at=now,
        expires_at=now + timedelta(days=current_app.config["SESSION_MAX_DAYS"]),
    )
    db.session.add(row)
    session.clear()
    # The CSRF token is bound to the session that was just cleared: make a new one.
    g.pop("csrf_token", None)
    session.permanent = True
    session["sid"] = row.id
    return row


def end_session() -> None:
    """Revoke this device's session and clear the cookie."""
    sid = session.get("sid")
    if sid:
        row = db.session.get(AuthSession, sid)
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()
    session.clear()


# Built once (every API request asks it): building a statement costs more than running it.
_SESSION_AND_USER = (
    select(AuthSession, User)
    .join(User, User.id == AuthSession.user_id)
    .where(AuthSession.id == bindparam("sid"))
)


def load_current_user() -> None:
    """Put the signed-in user (or None) on flask.g for this request."""
    g.user = None
    sid = session.get("sid")
    if not sid:
        return
    # The session and its user in one query: every API request asks this first.
    found = db.session.execute(_SESSION_AND_USER, {"sid": sid}).first()
    now = utcnow()
    idle = timedelta(hours=current_app.config["SESSION_IDLE_HOURS"])
    row, user = found if found is not None else (None, None)
    if (
        row is None
        or row.revoked_at is not None
        or row.expires_at <= now
        or row.last_seen_at + idle <= now
    ):
        # The dead id stays in the cookie (it opens nothing): removing it here would make this
        # answer set the cookie, and an answer to a request the old session sent just before
        # the same browser signed in again (the provider's redirect) then replaced the new
        # session's cookie, and the app came back signed out. The read's transaction ends
        # here: on SQLite it holds the write lock (server/database.py), and the sign-in this
        # request may be (the provider's callback) writes through a connection of its own.
        db.session.rollback()
        return
    if user is None or not user.active:
        return
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    g.user = user
    g.auth_session = row


# A change of any of these ends the user's sessions: what a session may reach was decided
# with them (role, institution), or they are how the person proved who they are (password).
_DECISIVE = ("role", "institution_id", "password_hash")


@event.listens_for(User, "after_update")
def _end_sessions_on_account_change(
    _mapper: Mapper[User], connection: Connection, user: User
) -> None:
    """End every session of a user whose role, institution or password changed, or who was
    deactivated: revoked rows, so that reactivating the account brings none of them back.

    A mapper event, in the flush's own transaction, so every way of changing a user (the
    admin API, the command line, a script) ends the sessions, not only the routes."""
    state = inspect(user)
    changed = {name for name in _DECISIVE if state.attrs[name].history.has_changes()}
    deactivated = state.attrs.active.history.has_changes() and not user.active
    if not changed and not deactivated:
        return
    stmt = revoke_all(user.id)
    keep = _own_session_id(user.id) if changed == {"password_hash"} and not deactivated else None
    if keep is not None:
        # Someone who sets their own password stays signed in on this device only.
        stmt = stmt.where(AuthSession.id != keep)
    connection.execute(stmt)


def revoke_all(user_id: str) -> Update:
    """The statement that ends every live session of a user (revoked, never deleted)."""
    return (
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _own_session_id(user_id: str) -> str | None:
    if not has_request_context():
        return None
    own: AuthSession | None = g.get("auth_session")
    return own.id if own is not None and own.user_id == user_id else None
