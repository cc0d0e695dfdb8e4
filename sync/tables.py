"""The sync engine's own tables, defined on the application's MetaData.

The server owns the metadata (one set of migrations, one database); the engine only needs
to know the table objects, so they are plain SQLAlchemy Core tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, MetaData, String, Table, Text

from sync.types import UtcDateTime


@dataclass(frozen=True)
class SyncTables:
    """Handles to the engine's tables."""

    counter: Table
    change: Table
    mutation: Table


def define_tables(metadata: MetaData) -> SyncTables:
    """Add the engine's tables to ``metadata`` (call once, at import of the models)."""
    counter = Table(
        "sync_counter",
        metadata,
        # One row (id 1). Its row lock, held from taking a number until commit, is what makes
        # the change sequence commit-ordered: see sync/PROTOCOL.md, "Change sequence".
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("value", BigInteger, nullable=False),
    )
    change = Table(
        "sync_change",
        metadata,
        # The latest change of each record: a record appears once, at its newest sequence.
        Column("entity", String(40), primary_key=True),
        Column("record_id", String(36), primary_key=True),
        Column("scope", String(80), nullable=False),
        Column("seq", BigInteger, nullable=False, unique=True),
        # The record's wire JSON as of this change, and the shape of the SQL that wrote it
        # (PostgreSQL; empty elsewhere, and for kinds built in Python): server/sync/documents.py.
        Column("doc", Text),
        Column("doc_shape", String(16)),
        Index("ix_sync_change_scope_seq", "scope", "seq"),
    )
    mutation = Table(
        "sync_mutation",
        metadata,
        # Every pushed mutation id with the answer it got: a repeat gets the same answer.
        Column("id", String(36), primary_key=True),
        Column("client_id", String(36), nullable=False),
        Column("user_id", String(36), nullable=False),
        Column("result", JSON, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
    )
    return SyncTables(counter=counter, change=change, mutation=mutation)
