"""``flask --app server documents …``: the operator's side of course documents."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from server.courses.attachments import rewrite_stored_pdfs


@click.group("documents")
def documents_group() -> None:
    """Course documents (PDF, JPEG, PNG) in the object store."""


@documents_group.command("rewrite-pdfs")
@with_appcontext
def rewrite_pdfs_command() -> None:
    """Store every PDF as its passive rewrite (once, after upgrading past issue 19)."""
    done = rewrite_stored_pdfs()
    click.echo(f"Rewrote {done.rewritten} PDF file(s); {done.unchanged} were passive already.")
    if done.unreadable:
        raise click.ClickException(
            "These documents could not be read as PDFs and are unchanged (look at them, and "
            "delete those that are not documents): " + ", ".join(done.unreadable)
        )
