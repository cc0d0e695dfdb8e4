"""``flask filing``: the filings not acknowledged yet, and sending them again."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from server.extensions import db


@click.group("filing")
def filing_group() -> None:
    """Filings sent to the case system (docs/deploying.md, "Filing in the case system")."""


@filing_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send again every filing the receiving side has not acknowledged (as the jobs worker
    does every FILING_RETRY_SECONDS)."""
    from server.ops.jobs import send_filings

    done = send_filings()
    if "skipped" in done:
        click.echo("Another filing run is in progress: nothing done.")
        return
    click.echo(
        f"Acknowledged {done['acknowledged']}, waiting for a receipt {done['waiting']}, "
        f"failed {done['failed']}."
    )


@filing_group.command("waiting")
@with_appcontext
def waiting_command() -> None:
    """List the filings not acknowledged yet, with their state and the last reason."""
    from server.filing.send import unacknowledged

    for filing in unacknowledged():
        why = f": {filing.last_error}" if filing.last_error else ""
        click.echo(
            f"filing {filing.id} of course {filing.course_id}: {filing.state} after "
            f"{filing.attempts} attempt(s){why}"
        )
    db.session.rollback()
