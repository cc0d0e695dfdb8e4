"""``flask users create-admin``: the operator's way to make an administrator.

Someone with access to the server is trusted beyond any admin in the app, so an account made
here needs no second approval and has no creator (it starts a lineage of its own, see
``approval.py``). The person still chooses their own password through the e-mailed link.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from server.extensions import db
from server.models import User
from server.models._common import utcnow
from server.users import links, log


@click.group("users")
def users_group() -> None:
    """Staff accounts (the operator's commands)."""


@users_group.command("create-admin")
@click.argument("email")
@click.argument("name")
@with_appcontext
def create_admin(email: str, name: str) -> None:
    """Make an approved administrator and e-mail them a link to choose a password."""
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise click.ClickException(f"A user with the e-mail {email} exists already.")
    user = User(
        email=email, name=name, role="admin", password_hash="", active=True, approved_at=utcnow()
    )
    db.session.add(user)
    db.session.flush()
    log.entry("created", user.id, "administrator made by the operator (flask users create-admin)")
    links.send(user, "welcome", None)
    db.session.commit()
    click.echo(
        f"Administrator {email} created; the link to choose a password is in the "
        "outbox (flask outbox print, when no SMTP_HOST is set)."
    )


@users_group.command("send-password-links")
@with_appcontext
def send_password_links() -> None:
    """E-mail every active account without a password a link to choose one: after the upgrade
    to the two-admin rule (migration 0013 voids every password an admin had chosen)."""
    users = list(
        db.session.scalars(
            select(User).where(User.active.is_(True), User.password_hash == "").order_by(User.email)
        )
    )
    for user in users:
        links.send(user, "welcome", None)
    db.session.commit()
    click.echo(f"Sent {len(users)} link(s) to choose a password.")
