"""``flask --app server sync …``: the operator's side of sync."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from server.extensions import db
from server.models import SYNC_TABLES
from server.sync import documents
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
    click.echo(
        "A new change history began: every tablet pulls again from the start at its "
        "next sync (unsent changes stay on it)."
    )


@sync_group.command("rebuild-documents")
@with_appcontext
def rebuild_documents_command() -> None:
    """After an upgrade: keep every record's wire JSON beside its change again, so pulls
    send it as it is (server/sync/documents.py). Safe while the app runs."""
    written = documents.rebuild(db.session(), SYNC_TABLES)
    db.session.commit()
    click.echo(f"{written} records' documents written.")
