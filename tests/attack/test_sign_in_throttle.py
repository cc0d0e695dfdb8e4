"""The sign-in throttle's clock (issue 19, finding 9): the time that decides an attempt is read
inside the store's atomic step, so an honest attempt that waits for its turn at the store is
judged by the time it gets there, not by the time it set out.

The old code read the clock in the request and then queued for the store: twelve attempts at
once from one address got four failures of a limit of five (``{429: 8, 401: 4}``), because
the fifth, holding an older clock reading than the first attempt the store had counted,
looked as if it came before the window opened. Here the queueing is made deterministic: one
attempt is held at the store's door (a hook on the store, no sleeping) while the other four
are counted, then let through.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask

from tests.harness import ApiClient

# Passwords only: about the password sign-in's throttle.
PASSWORDS_ONLY = True


@pytest.fixture(params=["database", "redis"])
def app_config(request: pytest.FixtureRequest, app_config: dict[str, Any]) -> dict[str, Any]:
    """Five failures an hour per address, counted in the database or in Redis."""
    store = "database"
    if request.param == "redis":
        store = request.getfixturevalue("redis_url")
        import redis

        redis.Redis.from_url(store).flushdb()
    return {
        **app_config,
        "RATELIMIT_STORAGE_URI": store,
        "LOGIN_RATE_LIMIT": "8 per minute",
        "LOGIN_FAILURE_LIMIT": "5 per hour",
    }


def login(app: Flask, email: str, address: str) -> int:
    client = ApiClient(app.test_client())
    resp = client.post(
        "/api/auth/login",
        {"email": email, "password": "wrong"},
        environ_base={"REMOTE_ADDR": address},
    )
    return int(resp.status_code)


class Doorway:
    """Holds the first store step of the thread named ``late`` until told to let it on."""

    def __init__(self, app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
        self.waiting = threading.Event()
        self.go = threading.Event()
        store = app.extensions["trivsel_login_store"]
        take = store.take

        def held_take(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread().name == "late" and not self.waiting.is_set():
                self.waiting.set()
                assert self.go.wait(timeout=60), "the test never let the late attempt on"
            return take(*args, **kwargs)

        monkeypatch.setattr(store, "take", held_take)


def test_an_honest_attempt_that_reaches_the_store_late_is_judged_by_its_arrival(
    app: Flask, demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five failures an hour are allowed: the fifth, however long it queued, is one of them."""
    door = Doorway(app, monkeypatch)
    late: list[int] = []
    thread = threading.Thread(
        target=lambda: late.append(login(app, "late@example.org", "10.70.0.1")), name="late"
    )
    thread.start()
    assert door.waiting.wait(timeout=60)
    # While it waits at the door, four other attempts from the address are counted.
    early = [login(app, f"user{i}@example.org", "10.70.0.1") for i in range(4)]
    door.go.set()
    thread.join(timeout=60)
    assert early == [401] * 4
    assert late == [401], "the fifth failure of five was refused for having queued"
    # The limit itself still holds: the sixth is refused.
    assert login(app, "sixth@example.org", "10.70.0.1") == 429
