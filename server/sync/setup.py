"""Wiring the sync engine's change log into the app's database session."""

from __future__ import annotations

from flask import g, has_request_context

from server.extensions import db
from server.models import SYNC_TABLES
from server.sync.wire import KINDS
from sync.changelog import ChangeLog


def _actor() -> tuple[str, str]:
    """The signed-in user of a REST request (edits made there carry no device id)."""
    user = g.get("user") if has_request_context() else None
    return (user.id if user is not None else "", "server")


CHANGE_LOG = ChangeLog(
    SYNC_TABLES, {kind.model: kind.name for kind in KINDS.values()}, actor=_actor
)
_installed = False


def install_change_log() -> None:
    """Track every synced record change made through ``db.session`` (REST and sync alike)."""
    global _installed
    if not _installed:  # the session factory is shared by every app the process creates
        CHANGE_LOG.install(db.session.session_factory)
        _installed = True
