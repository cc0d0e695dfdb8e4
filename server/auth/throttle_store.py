"""Where sign-in throttling keeps its counts: the database (default) or Redis.

Both stores offer the same three atomic steps of GCRA (the generic cell rate algorithm): a
key holds one number, its *theoretical arrival time* (``tat``, epoch seconds). ``take``
admits an attempt when ``tat - now <= tolerance`` and then moves ``tat`` on by ``cost``
seconds (never further than ``now + ceiling``); ``give_back`` moves it back; ``clear``
forgets the key. A ``tat`` in the past means the key is unused. One number per key, changed
by one statement (SQL) or one script (Redis), so every gunicorn worker and every instance
sees the same count and two attempts at the same moment cannot both take the last place.
"""

from __future__ import annotations

import math
import time
from typing import Any, Protocol

from sqlalchemy import Float, bindparam, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models import LoginThrottle

# A key whose tat lies this far in the past is deleted by the periodic clean-up.
_FORGET_AFTER = 3600.0
_CLEAN_EVERY = 600.0


class ThrottleStore(Protocol):
    """The three atomic steps (plus a read) that ``server.auth.throttle`` needs."""

    def take(self, key: str, now: float, cost: float, tolerance: float,
             ceiling: float) -> tuple[bool, float]:
        """(admitted, tat after the step); when refused, the key's unchanged tat."""

    def give_back(self, key: str, seconds: float) -> None:
        """Move the key's tat back (an attempt that turned out not to count)."""

    def clear(self, key: str) -> None:
        """Forget the key."""

    def tat(self, key: str) -> float | None:
        """The key's tat, or None when unknown."""


class DatabaseStore:
    """The embedded default: the ``login_throttle`` table, on SQLite and PostgreSQL.

    Each step is one ``INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`` in its own
    short transaction on the request's session (committed at once, so other workers see it
    and the login's later writes are not mixed in). SQLite runs writers one at a time;
    PostgreSQL locks the row for the conflict update: either way the step is atomic.
    """

    def __init__(self) -> None:
        self._last_clean = 0.0

    def take(self, key: str, now: float, cost: float, tolerance: float,
             ceiling: float) -> tuple[bool, float]:
        tat = LoginThrottle.tat
        now_p = bindparam("now", now, type_=Float)
        base = case((tat > now_p, tat), else_=now_p)
        moved = base + bindparam("cost", cost, type_=Float)
        limit = now_p + bindparam("ceiling", ceiling, type_=Float)
        dialect = db.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(LoginThrottle).values(key=key, tat=now + min(cost, ceiling))
        upsert = stmt.on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={"tat": case((moved > limit, limit), else_=moved)},
            where=tat - now_p <= bindparam("tolerance", _finite(tolerance), type_=Float),
        ).returning(tat)
        self._end_open_transaction()
        taken = db.session.execute(upsert).scalar_one_or_none()
        current = taken if taken is not None else db.session.scalar(
            select(LoginThrottle.tat).where(LoginThrottle.key == key))
        self._clean(now)
        db.session.commit()
        return taken is not None, float(current if current is not None else now)

    def give_back(self, key: str, seconds: float) -> None:
        self._end_open_transaction()
        db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                           .values(tat=LoginThrottle.tat - seconds))
        db.session.commit()

    def clear(self, key: str) -> None:
        self._end_open_transaction()
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
        db.session.commit()

    def tat(self, key: str) -> float | None:
        value = db.session.scalar(select(LoginThrottle.tat).where(LoginThrottle.key == key))
        db.session.commit()
        return None if value is None else float(value)

    @staticmethod
    def _end_open_transaction() -> None:
        # Whatever the request read before (its session lookup) ends here, so the step is a
        # transaction of its own that holds SQLite's write lock for one statement only.
        db.session.commit()

    def _clean(self, now: float) -> None:
        """Keys long unused carry no information; each process sweeps them now and then."""
        if now - self._last_clean > _CLEAN_EVERY:
            self._last_clean = now
            db.session.execute(delete(LoginThrottle)
                               .where(LoginThrottle.tat < now - _FORGET_AFTER))


# KEYS[1]: the key; ARGV: now, cost, tolerance, ceiling. Numbers travel as strings: a Lua
# number returned to Redis would be cut to an integer.
_TAKE = """
local tat = tonumber(redis.call('GET', KEYS[1]))
local now, cost = tonumber(ARGV[1]), tonumber(ARGV[2])
local tolerance, ceiling = tonumber(ARGV[3]), tonumber(ARGV[4])
if tat and tat - now > tolerance then return {0, tostring(tat)} end
local base = now
if tat and tat > now then base = tat end
local new = math.min(base + cost, now + ceiling)
local ttl = math.max(1000, math.ceil((new - now) * 1000) + 1000)
redis.call('SET', KEYS[1], tostring(new), 'PX', ttl)
return {1, tostring(new)}
"""
_GIVE_BACK = """
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat then redis.call('SET', KEYS[1], tostring(tat - tonumber(ARGV[1])), 'KEEPTTL') end
return 0
"""


class RedisStore:
    """The same steps as Lua scripts on Redis (``RATELIMIT_STORAGE_URI=redis://…``): keys
    expire by themselves once their tat has passed."""

    PREFIX = "trivsel:login:"

    def __init__(self, uri: str) -> None:
        import redis  # imported here: only deployments that configure Redis need it

        self.client: Any = redis.Redis.from_url(uri, socket_timeout=5,
                                                socket_connect_timeout=5)
        self._take = self.client.register_script(_TAKE)
        self._give_back = self.client.register_script(_GIVE_BACK)

    def take(self, key: str, now: float, cost: float, tolerance: float,
             ceiling: float) -> tuple[bool, float]:
        ok, tat = self._take(keys=[self.PREFIX + key],
                             args=[repr(now), repr(cost), repr(_finite(tolerance)),
                                   repr(ceiling)])
        return bool(int(ok)), float(tat)

    def give_back(self, key: str, seconds: float) -> None:
        self._give_back(keys=[self.PREFIX + key], args=[repr(seconds)])

    def clear(self, key: str) -> None:
        self.client.delete(self.PREFIX + key)

    def tat(self, key: str) -> float | None:
        value = self.client.get(self.PREFIX + key)
        return None if value is None else float(value)


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 1e15


def store_for(uri: str) -> ThrottleStore:
    """The store a ``RATELIMIT_STORAGE_URI`` names (validated by the config)."""
    if uri.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(uri)
    return DatabaseStore()


def now() -> float:
    """Wall-clock seconds: shared between instances (monotonic clocks are per machine)."""
    return time.time()
