"""``flask identity dev-provider``: the local test identity provider beside the app, for
``make run`` (docs/identity.md). Development only: it signs anyone in who clicks a name."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

identity_group = AppGroup("identity", help="The identity providers (issue 20).")

# What the app needs to sign staff in at the local provider (any client id and secret are
# accepted by oidc-provider-mock; these name what a real registration would).
DEV_CLIENT_ID = "trivsel-staff"
DEV_CLIENT_SECRET = "dev-only-not-secret"  # noqa: S105 - the local test provider's only
DEV_PARENT_CLIENT_ID = "trivsel-parents"


def dev_settings(issuer: str) -> dict[str, str]:
    """The STAFF_* settings that point the app at the local provider on ``issuer``."""
    from server.identity.dev_provider import DEMO_STAFF_ROLES

    return {
        "STAFF_OIDC_ISSUER": issuer,
        "STAFF_OIDC_CLIENT_ID": DEV_CLIENT_ID,
        "STAFF_OIDC_CLIENT_SECRET": DEV_CLIENT_SECRET,
        "STAFF_ROLES": DEMO_STAFF_ROLES,
    }


def dev_parent_settings(issuer: str) -> dict[str, str]:
    """The PARENT_* settings that point the parents' pages at the local provider on
    ``issuer``, as a municipality's MitID broker (parents then sign in with MitID, and their
    personal links grant nothing)."""
    return {
        "PARENT_OIDC_ISSUER": issuer,
        "PARENT_OIDC_CLIENT_ID": DEV_PARENT_CLIENT_ID,
        "PARENT_OIDC_CLIENT_SECRET": DEV_CLIENT_SECRET,
    }


@identity_group.command("link")
@click.argument("email")
@click.argument("subject")
@with_appcontext
def link_command(email: str, subject: str) -> None:
    """Link the local account EMAIL to SUBJECT at STAFF_OIDC_ISSUER, for a provider that does
    not mark e-mails verified (Entra ID): the refused sign-in's log line names the subject.
    The person's next sign-in through the provider then uses that account."""
    from sqlalchemy import func, select

    from server.extensions import db
    from server.models import User
    from server.users import log

    issuer = str(current_app.config["STAFF_OIDC_ISSUER"]).rstrip("/")
    if not issuer:
        raise click.ClickException("STAFF_OIDC_ISSUER is not set.")
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        raise click.ClickException(f"No account has the e-mail {email}.")
    if user.oidc_subject is not None:
        raise click.ClickException(f"{email} is linked already.")
    taken = db.session.scalar(
        select(User.email).where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    )
    if taken is not None:
        raise click.ClickException(f"That subject is linked to {taken} already.")
    user.oidc_issuer, user.oidc_subject = issuer, subject
    log.entry("login_linked", user.id, "linked to the municipality's login by an operator")
    db.session.commit()
    click.echo(f"{email} is linked; their next sign-in through the provider uses it.")


@identity_group.command("dev-provider")
@click.option("--port", default=9400, show_default=True)
@with_appcontext
def dev_provider_command(port: int) -> None:
    """Serve the local test identity provider on 127.0.0.1 (development only) and print the
    settings that point the app at it."""
    if current_app.config["TRIVSEL_ENV"] not in ("development", "testing"):
        raise click.ClickException(
            "The test identity provider signs in anyone who clicks a "
            "name: it runs with TRIVSEL_ENV=development only."
        )
    from server.identity import dev_provider

    click.echo("Start the app with:")
    issuer = f"http://127.0.0.1:{port}"
    for name, value in {**dev_settings(issuer), **dev_parent_settings(issuer)}.items():
        click.echo(f"  {name}={value}")
    dev_provider.main(["--port", str(port)])
