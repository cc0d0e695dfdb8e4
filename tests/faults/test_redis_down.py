"""Redis, the sign-in throttle's store, stopped (issue 26, point 4): sign-in keeps working,
the limits hold per process meanwhile, the log says so once, and Redis is used again as soon
as it answers.

The app runs in this process (the fault is Redis', not the database's: SQLite or PostgreSQL
alike); Redis is a real redis-server, stopped and started again at the same address. Bounded:
a few dozen sign-ins, no sleeping.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask

from server.auth import throttle_fallback
from tests.harness import ApiClient, free_port, redis_server
from tests.harness.fixtures import DEMO_PASSWORD

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed"
)
AWAY = "Redis cannot be reached"
BACK = "Redis answers again"


@pytest.fixture
def redis_port() -> int:
    return free_port()


@pytest.fixture
def app_config(app_config: dict[str, Any], redis_port: int) -> dict[str, Any]:
    return {
        **app_config,
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_port}/0",
        "LOGIN_RATE_LIMIT": "8 per minute",
        "LOGIN_FAILURE_LIMIT": "5 per hour",
    }


def login(app: Flask, email: str, password: str, address: str) -> int:
    resp = ApiClient(app.test_client()).post(
        "/api/auth/login",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return int(resp.status_code)


def logged(caplog: pytest.LogCaptureFixture, text: str) -> int:
    return sum(text in r.getMessage() for r in caplog.records)


def throttle_keys(port: int) -> int:
    keys: list[bytes] = redis.Redis(port=port).keys("trivsel:login:*")  # type: ignore[assignment] # the sync client's answer; its stubs type the async one too
    return len(keys)


def test_sign_in_works_while_redis_is_stopped_with_a_bound_per_process(
    app: Flask,
    demo: dict[str, Any],
    redis_port: int,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Redis is tried on every attempt here (production: every 5 s), so "once" in the log
    # means once for a whole run of attempts, not once per pause between tries.
    monkeypatch.setattr(throttle_fallback, "RETRY_SECONDS", 0.0)
    caplog.set_level(logging.WARNING, logger=throttle_fallback.__name__)
    store = app.extensions["trivsel_login_store"]
    for name in ("before", "after"):
        (tmp_path / name).mkdir()
    with redis_server(tmp_path / "before", redis_port):
        assert login(app, "familie@example.org", DEMO_PASSWORD, "10.60.0.1") == 200
        assert throttle_keys(redis_port) > 0  # counted in Redis while it runs
    assert logged(caplog, AWAY) == 0

    # Redis is stopped. The process's own clock is frozen for the counts it now keeps, so
    # the limits are met exactly (no place is earned back while the test runs).
    frozen = store.fallback.clock()
    store.fallback.clock = lambda: frozen
    # Staff at several addresses sign in at once: nobody is refused, nobody gets a 500.
    statuses: list[int] = []
    start = threading.Barrier(6)

    def tablet(i: int) -> None:
        start.wait()
        statuses.append(login(app, "paedagog@example.org", DEMO_PASSWORD, f"10.61.0.{i}"))

    threads = [threading.Thread(target=tablet, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [200] * 6
    # The bounds hold in this process: 8 attempts a minute per address...
    burst = [login(app, "familie@example.org", DEMO_PASSWORD, "10.62.0.1") for _ in range(10)]
    assert burst == [200] * 8 + [429] * 2
    # ...and 5 failures an hour per address, over all accounts (password spraying).
    spray = [login(app, f"user{i}@example.org", "Sommer2026", "10.62.0.2") for i in range(7)]
    assert spray == [401] * 5 + [429] * 2
    assert store.away
    assert logged(caplog, AWAY) == 1, [r.getMessage() for r in caplog.records]

    # Redis is back (empty, as after a restart without persistence): counted there again.
    with redis_server(tmp_path / "after", redis_port):
        assert login(app, "familie@example.org", DEMO_PASSWORD, "10.63.0.1") == 200
        assert not store.away
        assert throttle_keys(redis_port) > 0
        assert login(app, "familie@example.org", DEMO_PASSWORD, "10.63.0.1") == 200
    assert logged(caplog, BACK) == 1
    assert logged(caplog, AWAY) == 1
    assert Counter(r.levelname for r in caplog.records) == {"WARNING": 2}
