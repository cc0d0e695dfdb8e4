"""Engine set-up that differs between SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, exc

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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
    """Apply the SQLite pragmas and transaction mode; on PostgreSQL, times in UTC (each
    connection is tried before use: ``pool_pre_ping`` in server/config.py)."""
    if engine.dialect.name != "sqlite":
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


def end_read(session: Any) -> None:
    """End the read phase begun in ``read_only``. On SQLite the read transaction ends, so the
    write that follows holds the single write lock only briefly; PostgreSQL locks rows, not
    the database, so there the same transaction carries on (one round trip fewer)."""
    if session.get_bind().dialect.name == "sqlite":
        session.rollback()


# What a request may take when the database is away: reads are tried again this long (a
# PostgreSQL restart or a managed fail-over's switch takes a second or two), writes never.
READ_RETRY_SECONDS = 3.0
# What a 503's Retry-After tells the client (the tablet waits at least this before again).
RETRY_AFTER_SECONDS = 2
# Set in the WSGI environ by the error handler: this answer is a 503 for an absent database.
UNAVAILABLE = "trivsel.database_unavailable"


# SQLSTATE classes of a server away: 08 connection exception, 57P operator intervention
# (57P01 admin shutdown: a restart; 57P02 crash shutdown; 57P03 cannot connect now: starting).
_AWAY_STATES = ("08", "57P")
# SQLite's "database is locked" past the busy timeout: another worker holds the write lock.
_SQLITE_BUSY = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})


def unavailable(error: BaseException) -> bool:
    """The database could not be reached, or dropped the connection (a restart, a fail-over,
    a backend terminated), here or in what caused the error: a fault of the moment, not of
    the request. A statement on a connection SQLAlchemy found broken says so in
    ``connection_invalidated``; otherwise the driver's OperationalError tells (below). A
    deadlock, a cancelled statement or a missing table are not the database away: they stay
    500s with their traceback in the log."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, exc.DBAPIError) and (
            current.connection_invalidated
            or (isinstance(current, exc.OperationalError) and _away(current.orig))
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


def _away(orig: BaseException | None) -> bool:
    """psycopg gives the server's errors a SQLSTATE and its own connection failures (refused,
    lost, closed) none; sqlite3 names its errors."""
    if orig is None:  # raised by SQLAlchemy's pool itself, with no driver error beneath
        return True
    name = getattr(orig, "sqlite_errorname", None)
    if name is not None:
        return name in _SQLITE_BUSY
    sqlstate = getattr(orig, "sqlstate", None)
    return sqlstate is None or str(sqlstate).startswith(_AWAY_STATES)


class RetryReads:
    """WSGI middleware around Flask's own app: a GET (or HEAD) answered 503 because the
    database was away (``UNAVAILABLE``) is served again, in a fresh request with a fresh
    session and connection, until ``READ_RETRY_SECONDS`` have passed. A parent reading a
    report never sees a restart; a write is not repeated here, since part of it may have been
    committed: its 503 carries Retry-After and the tablet sends it again (pushes are
    idempotent). Innermost, so the access log and the metrics see one request, one answer."""

    SAFE = frozenset({"GET", "HEAD"})

    def __init__(self, wsgi_app: WSGIApplication) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in self.SAFE:
            return self.wsgi_app(environ, start_response)
        deadline = time.monotonic() + READ_RETRY_SECONDS
        wait = 0.1
        while True:
            attempt = dict(environ)  # each attempt gets its own (Flask writes into it)
            started, body = self._once(attempt)
            if not attempt.get(UNAVAILABLE) or time.monotonic() + wait > deadline:
                start_response(*started)
                return body
            if hasattr(body, "close"):
                body.close()  # the request's teardown: its session and connection let go
            time.sleep(wait)
            wait = min(wait * 2, 1.0)

    def _once(self, environ: WSGIEnvironment) -> tuple[list[Any], Iterable[bytes]]:
        """Run the app, holding its start_response back until we know the answer is kept."""
        started: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers, exc_info]
            return lambda _data: None  # the write() callable; Flask never uses it

        return started, self.wsgi_app(environ, capture)
