"""``flask --app server sync …``: the operator's side of sync."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from server.extensions import db
from server.models import SYNC_TABLES
from sync import history


@click.group("sync")
def sync_group() -> None:
    """Sync between the tablets and the server."""


@sync_group.command("new-history")
@with_appcontext
def new_history_command() -> None:
    """After restoring a backup: every tablet pulls again from the start (sync/history.py)."""
    history.start_new(db.session(), SYNC_TABLES)
    db.session.commit()
    click.echo("A new change history began: every tablet pulls again from the start at its "
               "next sync (unsent changes stay on it).")
