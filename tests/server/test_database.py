"""Connections the database server dropped are found out before a request gets them.

Every pooled connection is tried before a request gets it (``pool_pre_ping``,
server/config.py), so a database restart during a quiet spell costs no request an error; one
during use costs at most the requests then running, and a read among them is tried again
(server/database.py, RetryReads). tests/faults/test_database_restart.py restarts the server.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from server.extensions import db
from tests.harness import SYNC, is_postgres

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


def test_a_connection_dropped_while_idle_is_replaced_before_use(app: Flask, as_user: Any) -> None:
    familie = as_user("familie")
    assert familie.get("/api/courses").status_code == 200
    _drop_every_connection(app)
    for _ in range(3):
        assert familie.get("/api/courses").status_code == 200


def test_a_connection_dropped_during_use_costs_one_request_at_most(
    app: Flask, as_user: Any
) -> None:
    familie = as_user("familie")
    assert familie.get("/api/courses").status_code == 200
    _drop_every_connection(app)
    answers = [familie.get("/api/courses").status_code for _ in range(3)]
    assert answers[1:] == [200, 200], answers


def test_a_write_after_the_connections_were_dropped_is_taken(app: Flask, as_user: Any) -> None:
    """Before every connection was tried, the first write after a restart met the cut
    connection: a 500 on a push (issue 26)."""
    familie = as_user("familie")
    assert familie.get("/api/courses").status_code == 200
    _drop_every_connection(app)
    pushed = familie.post(
        "/api/sync/push", {"client_id": str(uuid.uuid4()), "mutations": []}, headers=SYNC
    )
    assert pushed.status_code == 200, pushed.get_json()
