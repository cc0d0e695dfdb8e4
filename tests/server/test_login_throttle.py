"""Sign-in throttling in one process, on the real database store (several workers and Redis:
tests/e2e/test_login_throttle.py). The clock the store's statements read is the test's, so
waits need no sleeping (the real clock, read inside the store's step: tests/attack/
test_sign_in_throttle.py)."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from server import create_app
from server.auth import throttle, throttle_store
from server.config import ConfigError
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.throttling import Clock, login


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(throttle_store, "database_clock", fake)
    return fake


def test_an_account_under_attack_is_slowed_down_never_locked(
    app: Flask, demo: dict[str, Any], clock: Clock
) -> None:
    """The issue's attack: ~20 wrong passwords a minute from any addresses. The real user with
    the right password from a fresh address still gets in, at once."""
    for i in range(20):
        resp = login(app, "ppr@example.org", f"guess-{i}", f"10.0.0.{i}")
        assert resp.status_code == 401, resp.get_json()
        clock.now += 3
    real = login(app, "ppr@example.org", DEMO_PASSWORD, "192.0.2.10")
    assert real.status_code == 200, real.get_json()


def test_each_address_waits_longer_after_each_failure_up_to_the_cap(
    app: Flask, demo: dict[str, Any], clock: Clock
) -> None:
    waits = []
    for i in range(13):
        resp = login(app, "familie@example.org", f"guess-{i}", "10.1.1.1")
        if resp.status_code == 429:
            waits.append(int(resp.headers["Retry-After"]))
            clock.now += waits[-1]
            resp = login(app, "familie@example.org", f"guess-{i}", "10.1.1.1")
        assert resp.status_code == 401, (i, resp.get_json())
    cap = app.config["LOGIN_MAX_WAIT"]
    assert waits == sorted(waits) and waits[0] <= 2 and waits[-1] == cap, waits
    assert waits.count(cap) >= 3  # bounded: the wait stops growing at the cap
    # Meanwhile the real user, from elsewhere, is let in without waiting.
    assert login(app, "familie@example.org", DEMO_PASSWORD, "192.0.2.20").status_code == 200


def test_a_refusal_says_how_long_to_wait_and_checks_no_password(
    app: Flask, demo: dict[str, Any], clock: Clock
) -> None:
    for i in range(5):  # five failures are free; then each failure makes this address wait
        assert login(app, "familie@example.org", f"guess-{i}", "10.2.2.2").status_code == 401
    resp = login(app, "familie@example.org", DEMO_PASSWORD, "10.2.2.2")  # right, but too soon
    assert resp.status_code == 429
    assert resp.get_json()["error"]["code"] == "rate_limited"
    assert set(resp.get_json()["error"]) == {"code", "message", "fields"}
    retry = int(resp.headers["Retry-After"])
    assert 1 <= retry <= app.config["LOGIN_MAX_WAIT"]
    clock.now += retry - 0.5
    assert login(app, "familie@example.org", DEMO_PASSWORD, "10.2.2.2").status_code == 429
    clock.now += 0.5
    assert login(app, "familie@example.org", DEMO_PASSWORD, "10.2.2.2").status_code == 200


def test_the_real_user_who_mistypes_during_an_attack_waits_at_most_the_cap(
    app: Flask, demo: dict[str, Any], clock: Clock
) -> None:
    for i in range(12):
        assert login(app, "ppr@example.org", f"guess-{i}", f"10.3.0.{i}").status_code == 401
    assert login(app, "ppr@example.org", "typo", "192.0.2.30").status_code == 401
    resp = login(app, "ppr@example.org", DEMO_PASSWORD, "192.0.2.30")
    assert resp.status_code == 429
    assert int(resp.headers["Retry-After"]) <= app.config["LOGIN_MAX_WAIT"]
    clock.now += int(resp.headers["Retry-After"])
    assert login(app, "ppr@example.org", DEMO_PASSWORD, "192.0.2.30").status_code == 200


def test_sign_ins_at_once_behind_one_address_are_let_in(
    app: Flask, demo: dict[str, Any], clock: Clock
) -> None:
    """Two tablets of one worker sign in at once behind one address. Nobody has failed, so no
    wait applies: neither is refused (a gate of no length is not taken at all)."""
    with app.test_request_context():
        first = throttle.admit("10.9.9.9", "familie@example.org")
        second = throttle.admit("10.9.9.9", "familie@example.org")
        first.settle(succeeded=True)
        second.settle(succeeded=True)


class TestPerAddress:
    """Small per-address limits, to reach them in a few attempts."""

    @pytest.fixture
    def app_config(self, app_config: dict[str, Any]) -> dict[str, Any]:
        return {
            **app_config,
            "LOGIN_RATE_LIMIT": "8 per minute",
            "LOGIN_FAILURE_LIMIT": "5 per hour",
        }

    def test_failures_per_address_are_bounded_over_all_accounts(
        self, app: Flask, demo: dict[str, Any], clock: Clock
    ) -> None:
        """Password spraying (one guess on many accounts) from one address."""
        statuses = [
            login(app, f"user{i}@example.org", "Sommer2026", "10.4.4.4").status_code
            for i in range(7)
        ]
        assert statuses == [401] * 5 + [429] * 2
        clock.now += 61  # the attempts per minute are free again, the failures per hour not
        blocked = login(app, "familie@example.org", DEMO_PASSWORD, "10.4.4.4")
        assert blocked.status_code == 429
        assert 600 <= int(blocked.headers["Retry-After"]) <= 720  # the next of 5 per hour
        assert login(app, "familie@example.org", DEMO_PASSWORD, "10.4.4.5").status_code == 200
        clock.now += int(blocked.headers["Retry-After"])
        assert login(app, "familie@example.org", DEMO_PASSWORD, "10.4.4.4").status_code == 200

    def test_right_passwords_use_up_no_failures_but_attempts_are_bounded(
        self, app: Flask, demo: dict[str, Any], clock: Clock
    ) -> None:
        statuses = [
            login(app, "familie@example.org", DEMO_PASSWORD, "10.5.5.5").status_code
            for _ in range(10)
        ]
        assert statuses == [200] * 8 + [429] * 2  # 8 attempts a minute, whatever their outcome
        clock.now += 60
        # Eight successes took none of the five failures: five wrong guesses still get a 401.
        wrong = [login(app, f"user{i}@example.org", "x", "10.5.5.5").status_code for i in range(5)]
        assert wrong == [401] * 5

    def test_parallel_attempts_cannot_overshoot_the_failure_limit(
        self, app: Flask, demo: dict[str, Any]
    ) -> None:
        """Places are taken before the password is checked, so twelve attempts at once from one
        address get exactly the five failures the limit allows."""
        statuses: list[int] = []
        start = threading.Barrier(12)

        def guess(i: int) -> None:
            start.wait()
            statuses.append(login(app, f"user{i}@example.org", "x", "10.7.7.7").status_code)

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert Counter(statuses) == {401: 5, 429: 7}


def test_unknown_accounts_are_throttled_like_known_ones(
    app: Flask, demo: dict[str, Any], clock: Clock
) -> None:
    def answers(email: str, address: str) -> list[tuple[int, str | None]]:
        out = []
        for i in range(5):
            resp = login(app, email, f"guess-{i}", address)
            out.append((resp.status_code, resp.headers.get("Retry-After")))
        return out

    assert answers("familie@example.org", "10.6.0.1") == answers("nobody@example.org", "10.6.0.2")


def test_a_count_kept_per_worker_is_refused_at_start_up(
    app_config: dict[str, Any], tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app({**app_config, "RATELIMIT_STORAGE_URI": "memory://"})
    with pytest.raises(ValueError, match="not a rate"):
        create_app({**app_config, "LOGIN_FAILURE_LIMIT": "lots"})
