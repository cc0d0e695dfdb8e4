"""Engine set-up that differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, event

_read_only: ContextVar[bool] = ContextVar("sqlite_read_only", default=False)


@contextmanager
def read_only() -> Iterator[None]:
    """Transactions begun inside only read: on SQLite they start DEFERRED, so they take no
    write lock and never wait for (or hold up) a writer in another worker. End the
    transaction (commit or rollback) before leaving the block; writing inside it is a bug."""
    token = _read_only.set(True)
    try:
        yield
    finally:
        _read_only.reset(token)


def configure_engine(engine: Engine) -> None:
    """Apply the SQLite pragmas and transaction mode; PostgreSQL needs nothing extra."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take over BEGIN from the driver (SQLAlchemy's documented recipe) so savepoints
        # work and we choose the transaction mode ourselves.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front. A deferred transaction that reads and
        # then writes fails at once with SQLITE_BUSY when another worker wrote in between;
        # waiting for the lock (busy timeout) is what several gunicorn workers need.
        # Pure reads (see ``read_only``) begin DEFERRED: WAL lets them run beside a writer.
        conn.exec_driver_sql("BEGIN" if _read_only.get() else "BEGIN IMMEDIATE")


def end_read(session: Any) -> None:
    """End the read phase begun in ``read_only``. On SQLite the read transaction ends, so the
    write that follows holds the single write lock only briefly; PostgreSQL locks rows, not
    the database, so there the same transaction carries on (one round trip fewer)."""
    if session.get_bind().dialect.name == "sqlite":
        session.rollback()
