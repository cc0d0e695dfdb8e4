"""Command-line tools: demo data and a child's access log."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from server.demo import load_demo
from server.extensions import db
from server.letters import outbox
from server.models import AuditEntry, Child, OutboundMessage


def register_cli(app: Flask) -> None:
    """Add the commands to ``flask --app server``."""
    app.cli.add_command(demo_command)
    app.cli.add_command(access_log_command)
    app.cli.add_command(outbox_group)
    app.cli.add_command(retention_command)
    app.cli.add_command(contract_command)
    from server.users.cli import users_group

    app.cli.add_command(users_group)
    from server.auth.cli import identity_group  # flask identity dev-provider (issue 20)

    app.cli.add_command(identity_group)
    from server.identity.cli import add_commands  # rotate-cpr, refresh-custody

    add_commands(identity_group)
    from server.sync.cli import sync_group

    app.cli.add_command(sync_group)
    from server.courses.cli import documents_group

    app.cli.add_command(documents_group)
    from server.filing.cli import filing_group

    app.cli.add_command(filing_group)


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
    _echo_identities()


def _echo_identities() -> None:
    """The test identities of the local identity provider (flask identity dev-provider),
    where its dev dependency is installed."""
    try:
        from server.identity.dev_provider import logins
    except ImportError:
        return
    click.echo("Test identities at the local identity provider (flask identity dev-provider):")
    for line in logins():
        click.echo(f"  {line}")


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


@click.group("outbox")
def outbox_group() -> None:
    """The notification outbox (parents' invitations and report notices)."""


@outbox_group.command("print")
@click.option("--all", "show_all", is_flag=True, help="Also messages already sent.")
@with_appcontext
def outbox_print(show_all: bool) -> None:
    """Print the messages kept (no SMTP configured) or waiting, oldest first."""
    query = select(OutboundMessage).order_by(OutboundMessage.created_at)
    if not show_all:
        query = query.where(OutboundMessage.status.in_(("kept", "pending", "failed")))
    rows = db.session.scalars(query).all()
    if not rows:
        click.echo("The outbox is empty.")
    for row in rows:
        click.echo(f"--- {row.created_at:%Y-%m-%d %H:%M} [{row.status}] to {row.to_address}")
        click.echo(f"Subject: {row.subject}\n")
        click.echo(row.body)
        click.echo("")


@outbox_group.command("send")
@with_appcontext
def outbox_send() -> None:
    """Send waiting messages over SMTP or Digital Post (run it from cron to retry failures)."""
    if not outbox.sending(current_app.config):
        raise click.ClickException("SMTP_HOST is not set: messages are kept, not sent.")
    sent, failed = outbox.send_pending()
    click.echo(f"Sent {sent}, failed {failed}.")


@click.command("retention")
@click.option(
    "--days", type=int, default=None, help="Retention period in days (default: RETENTION_DAYS)."
)
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
@with_appcontext
def retention_command(days: int | None, dry_run: bool) -> None:
    """Delete closed courses past the retention period (their photos, documents and outbox
    messages included), the children left without a course, and old audit entries."""
    from server.courses.retention import Plan, kept
    from server.models._common import utcnow
    from server.ops.jobs import run_retention

    period = days if days is not None else current_app.config["RETENTION_DAYS"]
    audit_days = current_app.config["AUDIT_RETENTION_DAYS"]
    if dry_run:
        plan = Plan.make(utcnow(), period)
        for course in plan.courses:
            how, ended = (
                ("closed", course.closed_at) if course.closed_at else ("deleted", course.deleted_at)
            )
            click.echo(f"would delete course {course.id} ({how} {ended:%Y-%m-%d})")
        for child in plan.children:
            click.echo(f"would delete child {child.id} (no course left)")
        for held in kept(utcnow(), period):
            click.echo(str(held))
        for table, rows in plan.counts(audit_days).items():
            click.echo(f"would delete {rows} row(s) of {table}")
        click.echo(
            f"{len(plan.courses)} course(s) closed more than {period} days ago, "
            f"{len(plan.children)} child(ren) without a course; audit entries are "
            f"kept {audit_days} days."
        )
        return
    # Under the retention job's lock: safe beside the `jobs` worker or another run.
    done = run_retention(period)
    if "skipped" in done:
        click.echo("Another retention run is in progress: nothing done.")
        return
    for line in done["kept"]:
        click.echo(line)
    for course_id in done["course_ids"]:
        click.echo(f"deleted course {course_id}")
    for child_id in done["child_ids"]:
        click.echo(f"deleted child {child_id}")
    click.echo(
        f"Deleted {done['courses']} course(s), {done['photos']} photo(s), "
        f"{done['documents']} document file(s) and {done['filed']} filed report(s)."
    )
    click.echo(
        f"Deleted {done['children']} child(ren) without a course, "
        f"{done['guardians']} guardian(s) and {done['messages']} outbox message(s)."
    )
    click.echo(f"Deleted {done['orphans']} photo(s) uploaded but never used.")
    click.echo(f"Deleted {done['audit_entries']} audit entr(ies) older than {audit_days} days.")


@click.command("contract")
@click.option("--check", is_flag=True, help="Only compare; exit 1 when the file differs.")
@with_appcontext
def contract_command(check: bool) -> None:
    """Write the tablet's contract (pwa/src/contract/contract.gen.ts) from the schemas."""
    from server import contract

    if check:
        if not contract.matches(current_app):
            raise click.ClickException(
                f"{contract.TARGET} differs from the server's schemas: run `{contract.REGENERATE}`."
            )
        click.echo("The contract matches the server's schemas.")
        return
    changed = contract.write(current_app)
    click.echo(f"{'Wrote' if changed else 'Unchanged:'} {contract.TARGET}")
