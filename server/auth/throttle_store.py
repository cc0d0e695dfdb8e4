"""Where sign-in throttling keeps its counts: the database (default) or Redis.

Both stores offer the same three atomic steps of GCRA (the generic cell rate algorithm): a
key holds one number, its *theoretical arrival time* (``tat``, epoch seconds). ``take``
admits an attempt when ``tat - now <= tolerance`` and then moves ``tat`` on by ``cost``
seconds (never further than ``now + ceiling``); ``give_back`` moves it back; ``clear``
forgets the key. A ``tat`` in the past means the key is unused. One number per key, changed
by one statement (SQL) or one script (Redis), so every gunicorn worker and every instance
sees the same count and two attempts at the same moment cannot both take the last place.

``now`` is the store's own clock, read inside that statement or script: the database's clock
(SQLite, PostgreSQL) or Redis' ``TIME``. A clock read by the request before it queued for
the store (behind SQLite's other writers, a PostgreSQL row lock) would judge an attempt by
when it set out rather than when it arrived: the store would see the times out of order, and
an honest attempt that queued behind others looked as if it came before the window opened
and was refused (issue 19). Every decision and every wait told to a client uses the ``now``
that the step returns.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, Protocol

from sqlalchemy import (
    ColumnElement,
    Float,
    bindparam,
    case,
    cast,
    delete,
    extract,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models import LoginThrottle

# A key whose tat lies this far in the past is deleted by the periodic clean-up.
_FORGET_AFTER = 3600.0
_CLEAN_EVERY = 600.0
# The Unix epoch as a Julian day number (SQLite's julianday() counts days from 4714 BC).
_EPOCH_JULIAN_DAY = 2440587.5


class Step(NamedTuple):
    """What one ``take`` decided, with the store's clock reading it decided by."""

    admitted: bool
    tat: float  # after the step; when refused, the key's unchanged tat
    now: float


class Reading(NamedTuple):
    """A key's tat (None when unknown) and the store's clock at the reading."""

    tat: float | None
    now: float


class ThrottleStore(Protocol):
    """The three atomic steps (plus a read) that ``server.auth.throttle`` needs."""

    def take(self, key: str, cost: float, tolerance: float, ceiling: float) -> Step:
        """Admit and count one attempt, or refuse it, by the store's clock."""

    def give_back(self, key: str, seconds: float) -> None:
        """Move the key's tat back (an attempt that turned out not to count)."""

    def clear(self, key: str) -> None:
        """Forget the key."""

    def read(self, key: str) -> Reading:
        """The key's tat, or None when unknown, by the store's clock."""


def database_clock(dialect: str) -> ColumnElement[float]:
    """Epoch seconds by the database's clock, read while the statement runs.

    PostgreSQL: ``clock_timestamp()``, not ``now()``: ``now()`` is when the transaction
    began, before the statement waited for the row's lock. SQLite: ``julianday('now')`` is
    read once per statement, and the statement runs holding the write lock (transactions
    begin IMMEDIATE: server/database.py), so the writers' readings come in their order."""
    if dialect == "postgresql":
        return cast(extract("epoch", func.clock_timestamp()), Float)
    return cast((func.julianday("now") - _EPOCH_JULIAN_DAY) * 86400.0, Float)


class DatabaseStore:
    """The embedded default: the ``login_throttle`` table, on SQLite and PostgreSQL.

    Each step is one ``INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`` in its own
    short transaction on the request's session (committed at once, so other workers see it
    and the login's later writes are not mixed in). SQLite runs writers one at a time;
    PostgreSQL locks the row for the conflict update: either way the step is atomic.
    """

    def __init__(self) -> None:
        self._last_clean = 0.0

    def take(self, key: str, cost: float, tolerance: float, ceiling: float) -> Step:
        dialect = db.session.get_bind().dialect.name
        tat, clock = LoginThrottle.tat, database_clock(dialect)
        base = case((tat > clock, tat), else_=clock)
        moved = base + bindparam("cost", cost, type_=Float)
        limit = clock + bindparam("ceiling", ceiling, type_=Float)
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(LoginThrottle).values(key=key, tat=clock + min(cost, ceiling))
        upsert = stmt.on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={"tat": case((moved > limit, limit), else_=moved)},
            where=tat - clock <= bindparam("tolerance", _finite(tolerance), type_=Float),
        ).returning(tat, clock)
        self._end_open_transaction()
        taken = db.session.execute(upsert).first()
        # Refused: the row is still locked by this transaction (SQLite's write lock, or
        # PostgreSQL's lock on the conflicting row), so this reads the tat that refused.
        row = (
            taken or db.session.execute(select(tat, clock).where(LoginThrottle.key == key)).first()
        )
        if row is None:  # cannot be: the statement inserted it, or it was there to refuse
            raise RuntimeError(f"login_throttle lost key {key} inside its own transaction")
        now = float(row[1])
        self._clean(now)
        db.session.commit()
        return Step(taken is not None, float(row[0]), now)

    def give_back(self, key: str, seconds: float) -> None:
        self._end_open_transaction()
        db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key)
            .values(tat=LoginThrottle.tat - seconds)
        )
        db.session.commit()

    def clear(self, key: str) -> None:
        self._end_open_transaction()
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
        db.session.commit()

    def read(self, key: str) -> Reading:
        dialect = db.session.get_bind().dialect.name
        found = select(LoginThrottle.tat).where(LoginThrottle.key == key).scalar_subquery()
        row = db.session.execute(select(found, database_clock(dialect))).one()
        db.session.commit()
        return Reading(None if row[0] is None else float(row[0]), float(row[1]))

    @staticmethod
    def _end_open_transaction() -> None:
        # Whatever the request read before (its session lookup) ends here, so the step is a
        # transaction of its own that holds SQLite's write lock for one statement only.
        db.session.commit()

    def _clean(self, now: float) -> None:
        """Keys long unused carry no information; each process sweeps them now and then."""
        if now - self._last_clean > _CLEAN_EVERY:
            self._last_clean = now
            db.session.execute(delete(LoginThrottle).where(LoginThrottle.tat < now - _FORGET_AFTER))


# KEYS[1]: the key; ARGV: cost, tolerance, ceiling. ``now`` is Redis' TIME, read inside the
# script (Redis runs one script at a time; since Redis 5 a script may write after reading
# TIME). Numbers travel as strings: a Lua number returned to Redis would be cut to an integer.
_TAKE = """
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local tat = tonumber(redis.call('GET', KEYS[1]))
local cost, tolerance, ceiling = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if tat and tat - now > tolerance then return {0, tostring(tat), tostring(now)} end
local base = now
if tat and tat > now then base = tat end
local new = math.min(base + cost, now + ceiling)
local ttl = math.max(1000, math.ceil((new - now) * 1000) + 1000)
redis.call('SET', KEYS[1], tostring(new), 'PX', ttl)
return {1, tostring(new), tostring(now)}
"""
_READ = """
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
return {redis.call('GET', KEYS[1]) or false, tostring(now)}
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

        self.client: Any = redis.Redis.from_url(uri, socket_timeout=5, socket_connect_timeout=5)
        self._take = self.client.register_script(_TAKE)
        self._give_back = self.client.register_script(_GIVE_BACK)
        self._read = self.client.register_script(_READ)

    def take(self, key: str, cost: float, tolerance: float, ceiling: float) -> Step:
        ok, tat, now = self._take(
            keys=[self.PREFIX + key], args=[repr(cost), repr(_finite(tolerance)), repr(ceiling)]
        )
        return Step(bool(int(ok)), float(tat), float(now))

    def give_back(self, key: str, seconds: float) -> None:
        self._give_back(keys=[self.PREFIX + key], args=[repr(seconds)])

    def clear(self, key: str) -> None:
        self.client.delete(self.PREFIX + key)

    def read(self, key: str) -> Reading:
        # A missing key is sent as false (a nil would end the Lua table), which Redis
        # answers as a null.
        value, now = self._read(keys=[self.PREFIX + key])
        return Reading(None if value is None else float(value), float(now))


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 1e15
