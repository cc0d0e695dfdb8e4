"""The pending sign-in's signed cookie and the guards that make a callback single-use."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from server.identity.errors import SignInExpired
from server.identity.pending import (
    DatabaseReplayGuard,
    MemoryReplayGuard,
    PendingCookie,
    PendingSignIn,
    RedisReplayGuard,
    ReplayGuard,
    used_callbacks,
)

PENDING = PendingSignIn(
    state="s" * 43,
    nonce="n" * 43,
    code_verifier="v" * 64,
    redirect_uri="https://trivsel.example.dk/p/login/callback",
    started_at=1_800_000_000.0,
)


def test_the_cookie_round_trips() -> None:
    cookie = PendingCookie("secret", "parents")
    assert cookie.loads(cookie.dumps(PENDING)) == PENDING


def test_a_tampered_or_foreign_cookie_is_refused() -> None:
    cookie = PendingCookie("secret", "parents")
    value = cookie.dumps(PENDING)
    for bad in (
        value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1],
        value + "x",
        "",
        None,
        "garbage",
    ):
        with pytest.raises(SignInExpired):
            cookie.loads(bad)
    # Signed for the parents' flow, it does not open the staff's, nor another key's.
    with pytest.raises(SignInExpired):
        PendingCookie("secret", "staff").loads(value)
    with pytest.raises(SignInExpired):
        PendingCookie("other-secret", "parents").loads(value)


def test_an_old_cookie_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    cookie = PendingCookie("secret", "parents", max_age=600)
    value = cookie.dumps(PENDING)
    later = time.time() + 601
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    with pytest.raises(SignInExpired):
        cookie.loads(value)


def test_a_secret_key_is_required() -> None:
    with pytest.raises(ValueError, match="secret"):
        PendingCookie("", "parents")


def _claims_once(guard: ReplayGuard) -> None:
    until = time.time() + 60
    assert guard.claim("state-a", until) is True
    assert guard.claim("state-a", until) is False
    assert guard.claim("state-b", until) is True
    # Of many callbacks racing with one state, exactly one goes on.
    wins: list[bool] = []
    threads = [
        threading.Thread(target=lambda: wins.append(guard.claim("state-c", until)))
        for _ in range(16)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wins.count(True) == 1


def test_the_memory_guard_claims_once() -> None:
    _claims_once(MemoryReplayGuard())


def test_the_memory_guard_forgets_what_expired() -> None:
    guard = MemoryReplayGuard()
    assert guard.claim("old", time.time() - 1)
    assert guard.claim("old", time.time() + 60)  # its sign-in expired: nothing to remember


def test_the_redis_guard_claims_once(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    _claims_once(RedisReplayGuard(client))
    # Another worker with its own connection sees the same claims.
    assert (
        RedisReplayGuard(redis.Redis.from_url(redis_url)).claim("state-a", time.time() + 60)
        is False
    )
    ttl: int = client.ttl("trivsel:oidc-used:state-a")  # type: ignore[assignment]  # sync client
    assert 0 < ttl <= 61


def test_the_database_guard_claims_once(tmp_path: Path) -> None:
    # A file, not :memory:, so that the racing threads' connections share one database.
    engine = create_engine(f"sqlite:///{tmp_path / 'guard.sqlite3'}", connect_args={"timeout": 30})
    used_callbacks.metadata.create_all(engine)
    _claims_once(DatabaseReplayGuard(engine))
    # Another instance on the same database sees the same claims; expired rows are swept.
    guard = DatabaseReplayGuard(engine)
    assert guard.claim("state-a", time.time() + 60) is False
    assert guard.claim("old", time.time() - 1) is True
    assert guard.claim("next", time.time() + 60) is True
    with engine.connect() as connection:
        states = set(connection.execute(select(used_callbacks.c.state)).scalars())
    assert "old" not in states and {"state-a", "next"} <= states
