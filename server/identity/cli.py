"""``flask identity rotate-cpr`` and ``flask identity refresh-custody`` (docs/identity.md)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext


@click.command("rotate-cpr")
@click.option("--batch", default=500, show_default=True, help="Rows per transaction.")
@with_appcontext
def rotate_cpr_command(batch: int) -> None:
    """Re-encrypt and rehash every stored CPR number under CPR_KEY's first key; afterwards
    the older keys may be removed from CPR_KEY. Safe to run again."""
    from server.identity.cpr_store import app_keyring
    from server.identity.rotation import rotate_cpr

    done = rotate_cpr(batch)
    current = app_keyring().current_id
    for table, count in done.rewritten.items():
        click.echo(f"{table}: {count} rewritten under key {current!r}")
    unreadable = sum(done.unreadable.values())
    if unreadable:
        raise click.ClickException(
            f"{unreadable} stored CPR numbers open with no key of CPR_KEY and were left as "
            "they are: put the key they were written with back into CPR_KEY and run again."
        )


def refresh_custody_now() -> dict[str, int]:
    """One refresh from the CPR service (the command and the worker's job)."""
    from server.identity.custody_refresh import refresh_custody
    from server.identity.settings import custody_source

    source = custody_source(current_app.config, lambda _child: ())
    return refresh_custody(source).as_dict()


@click.command("refresh-custody")
@with_appcontext
def refresh_custody_command() -> None:
    """Ask the CPR service who holds custody of each child with a CPR number, and record it
    (a former holder's access ends at once). Needs CUSTODY_SOURCE=cpr."""
    if current_app.config["CUSTODY_SOURCE"] != "cpr":
        raise click.ClickException(
            "CUSTODY_SOURCE is manual: custody is what staff record, there is nothing to ask."
        )
    for name, count in refresh_custody_now().items():
        click.echo(f"{name}: {count}")


def add_commands(group: AppGroup) -> None:
    """Add the CPR commands to ``flask identity``."""
    group.add_command(rotate_cpr_command)
    group.add_command(refresh_custody_command)
