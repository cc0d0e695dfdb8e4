"""Command-line tools: demo data and a child's access log."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from server.demo import load_demo
from server.extensions import db
from server.models import AuditEntry, Child


def register_cli(app: Flask) -> None:
    """Add the commands to ``flask --app server``."""
    app.cli.add_command(demo_command)
    app.cli.add_command(access_log_command)


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Fill an empty database with demo data and print the demo logins."""
    if current_app.config["TRIVSEL_ENV"] not in ("development", "testing"):
        raise click.ClickException(
            "Refusing to load demo data: the app is configured for production "
            "(set TRIVSEL_ENV=development on a developer's machine)."
        )
    result = load_demo(current_app.config.get("DEMO_PASSWORD") or None)
    if result.created:
        click.echo("Demo data created.")
    else:
        click.echo("The database has data already: nothing changed.")
    click.echo("Demo logins (sign in at http://127.0.0.1:8000):")
    for email, role in result.logins:
        click.echo(f"  {email:<24} {role}")
    if result.password:
        click.echo(f"Password for all of them: {result.password}")
    else:
        click.echo("Password: the one given in DEMO_PASSWORD when the demo data was made.")


@click.command("access-log")
@click.argument("child_id")
@with_appcontext
def access_log_command(child_id: str) -> None:
    """Print who has read or changed a child's data (parents have the right to see it)."""
    child = db.session.get(Child, child_id)
    if child is None:
        raise click.ClickException(f"No child with id {child_id}.")
    click.echo(f"Access log for {child.first_name} {child.last_name} ({child.id})")
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.child_id == child_id).order_by(AuditEntry.at)
    )
    for row in rows:
        click.echo(
            f"{row.at:%Y-%m-%d %H:%M:%S}  {row.actor_name:<40} {row.action:<7} "
            f"{row.entity:<12} {row.record_id or ''}"
        )
