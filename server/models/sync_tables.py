"""The sync engine's tables (change sequence, pushed mutations) on the server's metadata."""

from __future__ import annotations

from server.extensions import Base
from sync.tables import define_tables

SYNC_TABLES = define_tables(Base.metadata)
