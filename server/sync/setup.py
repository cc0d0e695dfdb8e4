"""Wiring the sync engine's change log into the app's database session."""

from __future__ import annotations

from server.extensions import db
from server.models import SYNC_TABLES
from server.records.write import stamp_server_changes
from server.sync.documents import change_log_sql, shapes
from server.sync.wire import KINDS
from sync.changelog import ChangeLog

CHANGE_LOG = ChangeLog(
    SYNC_TABLES,
    {kind.model: kind.name for kind in KINDS.values()},
    stamp_fields=stamp_server_changes,
    documents=change_log_sql,
)
_installed = False


def install_change_log() -> None:
    """Track every synced record change made through ``db.session`` (REST and sync alike)."""
    global _installed
    # Made now, at start, rather than by a worker's first request (both are kept).
    change_log_sql()
    shapes()
    if not _installed:  # the session factory is shared by every app the process creates
        CHANGE_LOG.install(db.session.session_factory)
        _installed = True
