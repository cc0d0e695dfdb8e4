"""A database away for a moment (server/database.py, server/errors.py; issue 26): a read is
served again on a fresh connection, a write answers 503 with Retry-After in the one error
shape, and neither is ever a 500. The fault is raised where the issue saw it, before the view
(loading the signed-in user); tests/faults/test_database_restart.py restarts a real server."""

from __future__ import annotations

import logging
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy.exc import IntegrityError, OperationalError

from server import database
from tests.harness import ApiClient, migrated_app, migrated_database_url, settings


class Outage:
    """The next ``failures`` requests meet a database that dropped the connection."""

    def __init__(self) -> None:
        self.failures = 0
        self.calls = 0
        self.error: Exception = OperationalError(
            "SELECT 1", {}, Exception("terminating connection due to administrator command")
        )

    def before_request(self) -> None:
        self.calls += 1
        if self.failures:
            self.failures -= 1
            raise self.error


@pytest.fixture(scope="module")
def app_and_outage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Outage]]:
    folder: Path = tmp_path_factory.mktemp("unavailable")
    app = migrated_app(settings(folder, migrated_database_url(folder, "unavailable")))
    outage = Outage()
    app.before_request_funcs.setdefault(None, []).insert(0, outage.before_request)
    yield app, outage


@pytest.fixture
def outage(app_and_outage: tuple[Flask, Outage]) -> Iterator[Outage]:
    found = app_and_outage[1]
    found.failures, found.calls = 0, 0
    yield found
    found.failures = 0


@pytest.fixture
def client(app_and_outage: tuple[Flask, Outage]) -> ApiClient:
    return ApiClient(app_and_outage[0].test_client())


def test_a_read_that_meets_a_dropped_connection_is_served_again(
    client: ApiClient, outage: Outage
) -> None:
    outage.failures = 2
    resp = client.get("/api/auth/csrf")
    assert resp.status_code == 200, resp.get_json()
    assert outage.calls == 3


def test_a_write_that_meets_it_is_a_503_with_retry_after_and_is_not_repeated(
    client: ApiClient, outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    client.csrf_token = client.get("/api/auth/csrf").get_json()["csrf_token"]  # database there
    outage.calls, outage.failures = 0, 1
    with caplog.at_level(logging.WARNING):
        resp = client.post("/api/auth/login", {"email": "a@example.org", "password": "x"})
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == str(database.RETRY_AFTER_SECONDS)
    assert resp.get_json() == {
        "error": {
            "code": "unavailable",
            "message": "The service is unavailable for a moment. Your changes are kept; "
            "try again shortly.",
            "fields": {},
        }
    }
    assert outage.calls == 1
    assert "Database unavailable on POST /api/auth/login (OperationalError" in caplog.text


def test_a_read_while_the_database_stays_away_is_a_503_after_the_retries(
    client: ApiClient, outage: Outage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "READ_RETRY_SECONDS", 0.5)
    outage.failures = 1000
    resp = client.get("/api/auth/csrf")
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == str(database.RETRY_AFTER_SECONDS)
    assert 2 <= outage.calls < 1000


def test_any_other_database_error_is_still_a_500_and_not_repeated(
    client: ApiClient, outage: Outage
) -> None:
    outage.error = IntegrityError("INSERT", {}, Exception("duplicate key"))
    try:
        outage.failures = 1
        resp = client.get("/api/auth/csrf")
    finally:
        outage.error = OperationalError("SELECT 1", {}, Exception("gone"))
    assert resp.status_code == 500
    assert outage.calls == 1


def test_an_error_caused_by_a_dropped_connection_counts_as_the_database_away() -> None:
    dropped = OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    try:
        try:
            raise dropped
        except OperationalError as err:
            raise RuntimeError("the session could not roll back") from err
    except RuntimeError as wrapped:
        assert database.unavailable(wrapped)
    assert not database.unavailable(IntegrityError("INSERT", {}, Exception("duplicate")))
    assert not database.unavailable(ValueError("no database here"))


def test_the_drivers_say_which_operational_errors_are_the_database_away() -> None:
    """The server shutting down or starting, or no connection at all: away. A deadlock, a
    cancelled statement, SQLite's missing table: the request's own fault, a 500 as before."""

    def wrapped(orig: Exception) -> OperationalError:
        return OperationalError("SELECT 1", {}, orig)

    away = [
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.CannotConnectNow("the database system is starting up"),
        psycopg.OperationalError("connection failed: Connection refused"),
        _sqlite_busy(),
    ]
    here = [
        psycopg.errors.DeadlockDetected("deadlock detected"),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        _sqlite_error("SELECT * FROM no_such_table"),
    ]
    assert [database.unavailable(wrapped(e)) for e in away] == [True] * len(away)
    assert [database.unavailable(wrapped(e)) for e in here] == [False] * len(here)


def _sqlite_error(sql: str) -> sqlite3.OperationalError:
    try:
        sqlite3.connect(":memory:").execute(sql)
    except sqlite3.OperationalError as err:
        return err
    raise AssertionError(f"{sql} did not fail")


def _sqlite_busy() -> sqlite3.OperationalError:
    """A real "database is locked": a second connection writes while the first holds the
    write lock."""
    path = Path(tempfile.mkdtemp()) / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    try:
        sqlite3.connect(path, timeout=0).execute("INSERT INTO t VALUES (1)")
    except sqlite3.OperationalError as err:
        assert err.sqlite_errorname == "SQLITE_BUSY", err.sqlite_errorname
        return err
    finally:
        holder.rollback()
        holder.close()
    raise AssertionError("the second writer was not refused")
