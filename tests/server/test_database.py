"""Connections the database server dropped are found out before a request gets them.

The app no longer tries every pooled connection on every request (server/database.py:
only those idle for a while). A database restart during a quiet spell must still cost no
request an error; one during use costs at most the requests then running.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from server import database
from server.extensions import db
from tests.harness import is_postgres

pytestmark = pytest.mark.skipif(not is_postgres(), reason="PostgreSQL drops connections")


def _drop_every_connection(app: Flask) -> None:
    """What a restart of the database server does to the app's pooled connections."""
    with app.app_context():
        url = db.engine.url
    killer = create_engine(url, isolation_level="AUTOCOMMIT")
    with killer.connect() as conn:
        dropped = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": url.database},
        ).scalar()
    killer.dispose()
    assert dropped, "the app should have held a pooled connection"


def test_a_connection_dropped_while_idle_is_replaced_before_use(
    app: Flask, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    familie = as_user("familie")
    assert familie.get("/api/courses").status_code == 200
    _drop_every_connection(app)
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)  # as after a quiet spell
    for _ in range(3):
        assert familie.get("/api/courses").status_code == 200


def test_a_connection_dropped_during_use_costs_one_request_at_most(
    app: Flask, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    familie = as_user("familie")
    assert familie.get("/api/courses").status_code == 200
    monkeypatch.setattr(database, "IDLE_PING_SECONDS", 3600.0)  # in busy use: no checks
    _drop_every_connection(app)
    answers = [familie.get("/api/courses").status_code for _ in range(3)]
    assert answers[1:] == [200, 200], answers
