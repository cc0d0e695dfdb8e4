"""Engine set-up that differs between SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, event, exc

# A pooled connection unused for longer than this is tried before it is handed out.
IDLE_PING_SECONDS = 10.0

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
    """Apply the SQLite pragmas and transaction mode; on PostgreSQL, check connections
    that have been idle before use."""
    if engine.dialect.name != "sqlite":
        _ping_when_idle(engine)
        _times_in_utc(engine)
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


def _times_in_utc(engine: Engine) -> None:
    """Each PostgreSQL session hands times over in UTC, whatever the server's own time zone.
    Columns convert to UTC anyway (sync.types.UtcDateTime), and the pull's documents write
    UTC whatever the zone (server/sync/documents.py); this keeps any row read without
    SQLAlchemy's conversions in UTC too."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'UTC'")
        dbapi_conn.commit()  # a SET in a transaction rolled back would be undone


def _ping_when_idle(engine: Engine) -> None:
    """A connection the database server dropped (a restart, a fail-over, an idle timeout)
    is found out before a request gets it — but only if it has been idle a while.

    ``pool_pre_ping`` tried every connection on every checkout: a round trip more for every
    request, which under load cost as much as a query. A connection used within the last
    ``IDLE_PING_SECONDS`` was alive then; if the server goes away while connections are in
    use, the failing statement makes SQLAlchemy discard every pooled connection at once,
    so only requests already running see the error. This is SQLAlchemy's documented
    "pessimistic" recipe (a checkout listener raising DisconnectionError), made conditional."""

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("used_at", 0.0) < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
            dbapi_conn.rollback()  # hand it out as it was: outside any transaction
        except Exception as err:
            # The pool replaces this connection with a new one and tries again.
            raise exc.DisconnectionError() from err

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["used_at"] = time.monotonic()


def end_read(session: Any) -> None:
    """End the read phase begun in ``read_only``. On SQLite the read transaction ends, so the
    write that follows holds the single write lock only briefly; PostgreSQL locks rows, not
    the database, so there the same transaction carries on (one round trip fewer)."""
    if session.get_bind().dialect.name == "sqlite":
        session.rollback()
