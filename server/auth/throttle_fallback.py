"""When Redis, the sign-in throttle's store, cannot be reached: count in the process.

Refusing every sign-in while Redis is away (or answering 500) would lock every member of
staff out for a fault that is not theirs; not counting at all would open the door to
guessing. So each process keeps the same GCRA counts in its own memory until Redis answers
again: the limits then hold per process (a deployment of 2 instances of 4 workers each allows at
most 8 times the configured numbers during the outage) instead of for the server as a whole.

The outage is written to the log once when it begins and once when it ends (per process),
and counted in ``trivsel_store_faults{store="throttle"}``; while Redis is away it is tried
again every ``RETRY_SECONDS``, not on every request, so a Redis that does not answer at all
(a connection that times out) costs one request in that time its wait, not every request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from server.auth.throttle_store import DatabaseStore, Reading, RedisStore, Step, ThrottleStore
from server.ops.faults import STORE_FAULTS

RETRY_SECONDS = 5.0
_T = TypeVar("_T")
log = logging.getLogger(__name__)


class MemoryStore:
    """The store's steps on a dict in this process (one lock: the steps stay atomic among
    the process's threads). Keys whose tat has passed are dropped now and then."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._tats: dict[str, float] = {}
        self._lock = threading.Lock()

    def take(self, key: str, cost: float, tolerance: float, ceiling: float) -> Step:
        with self._lock:
            now = self.clock()
            if len(self._tats) > 10_000:
                self._tats = {k: t for k, t in self._tats.items() if t > now}
            tat = self._tats.get(key)
            if tat is not None and tat - now > tolerance:
                return Step(False, tat, now)
            new = min(max(tat or now, now) + cost, now + ceiling)
            self._tats[key] = new
            return Step(True, new, now)

    def give_back(self, key: str, seconds: float) -> None:
        with self._lock:
            if key in self._tats:
                self._tats[key] -= seconds

    def clear(self, key: str) -> None:
        with self._lock:
            self._tats.pop(key, None)

    def read(self, key: str) -> Reading:
        with self._lock:
            return Reading(self._tats.get(key), self.clock())


class FallbackStore:
    """Redis while it answers; the process's ``MemoryStore`` while it does not."""

    def __init__(self, primary: ThrottleStore, fallback: MemoryStore) -> None:
        import redis

        self.primary = primary
        self.fallback = fallback
        self._errors: tuple[type[Exception], ...] = (redis.ConnectionError, redis.TimeoutError)
        self._retry_at = 0.0  # monotonic; while it lies ahead, Redis is not tried
        self._away = False
        self._lock = threading.Lock()

    def take(self, key: str, cost: float, tolerance: float, ceiling: float) -> Step:
        return self._call(lambda s: s.take(key, cost, tolerance, ceiling))

    def give_back(self, key: str, seconds: float) -> None:
        self._call(lambda s: s.give_back(key, seconds))

    def clear(self, key: str) -> None:
        self._call(lambda s: s.clear(key))

    def read(self, key: str) -> Reading:
        return self._call(lambda s: s.read(key))

    @property
    def away(self) -> bool:
        """Whether this process counts in its own memory now."""
        return self._away

    def _call(self, step: Callable[[ThrottleStore], _T]) -> _T:
        if time.monotonic() >= self._retry_at:
            try:
                result = step(self.primary)
            except self._errors as exc:
                self._went_away(exc)
            else:
                self._came_back()
                return result
        return step(self.fallback)

    def _went_away(self, exc: Exception) -> None:
        with self._lock:
            self._retry_at = time.monotonic() + RETRY_SECONDS
            if self._away:
                return
            self._away = True
        STORE_FAULTS.labels("throttle", "fallback").inc()
        log.warning(
            "Sign-in throttle: Redis cannot be reached (%s); counting sign-in attempts in "
            "this process until it answers again (limits hold per process, not per server)",
            exc,
        )

    def _came_back(self) -> None:
        if not self._away:
            return
        with self._lock:
            if not self._away:
                return
            self._away = False
        log.warning("Sign-in throttle: Redis answers again; counting there once more")


def store_for(uri: str) -> ThrottleStore:
    """The store a ``RATELIMIT_STORAGE_URI`` names (validated by the config). Redis comes
    with a fallback kept in the process for when Redis cannot be reached
    (``server.auth.throttle_fallback``); the database has none: without it nobody signs in."""
    if uri.startswith(("redis://", "rediss://", "unix://")):
        return FallbackStore(RedisStore(uri), MemoryStore())
    return DatabaseStore()
