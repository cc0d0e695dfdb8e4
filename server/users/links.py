"""One-time links with which a person chooses their own password.

An admin never sets or sees a password: approving a new account sends a welcome link, and an
admin may send a reset link, both to the person's own e-mail through the outbox. Only the
SHA-256 of the secret is stored; a link works once and expires after PASSWORD_LINK_HOURS.
The secret travels in the URL's fragment (``/adgangskode#…``), which browsers never send to
the server, so it reaches no access log.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from server.auth.passwords import hash_password
from server.auth.tokens import token_hash
from server.errors import ApiError
from server.extensions import db
from server.letters import outbox
from server.models import PasswordToken, User
from server.models._common import utcnow
from server.text.accounts import T
from server.text.da import day
from server.users import log

LINK_PATH = "/adgangskode#"


def send(user: User, purpose: str, by: User | None) -> None:
    """Queue a welcome or reset link to ``user``; earlier unused links of theirs stop working."""
    retire(user.id)
    secret = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=current_app.config["PASSWORD_LINK_HOURS"])
    db.session.add(
        PasswordToken(
            token_hash=token_hash(secret),
            user_id=user.id,
            purpose=purpose,
            created_by_id=by.id if by else None,
            expires_at=expires,
        )
    )
    link = f"{current_app.config['PUBLIC_URL'].rstrip('/')}{LINK_PATH}{secret}"
    values = {"name": user.name, "email": user.email, "link": link, "expires": day(expires)}
    outbox.queue(
        user.email, T[f"{purpose}_subject"].format(**values), T[f"{purpose}_body"].format(**values)
    )
    log.entry("link_sent", user.id, f"{purpose} link sent to the account's own e-mail", by)


def redeem(secret: str, password: str) -> User:
    """Set the password of the link's owner and use the link up (404 for any bad link)."""
    row = db.session.scalars(
        select(PasswordToken)
        .where(PasswordToken.token_hash == token_hash(secret))
        .with_for_update()
    ).first()
    user = db.session.get(User, row.user_id) if row is not None else None
    if (
        row is None
        or user is None
        or row.used_at is not None
        or row.expires_at <= utcnow()
        or not user.active
    ):
        # One answer for unknown, used and expired links: the answer tells a guesser nothing.
        raise ApiError(
            404,
            "This link does not work (used, expired or unknown). "
            "Ask an administrator for a new one.",
            "link_invalid",
        )
    row.used_at = utcnow()
    retire(user.id)
    user.password_hash = hash_password(password)  # ends the person's other sessions
    log.entry("password_set", user.id, f"password chosen by the person ({row.purpose} link)", user)
    return user


def retire(user_id: str) -> None:
    """Use up every open link of this person (a new one replaces them)."""
    db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.user_id == user_id, PasswordToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
