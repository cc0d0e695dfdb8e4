"""What a sign-in keeps between the redirect to the provider and its callback.

Trivsel's Flask session carries only a server-side session id and is cleared when a session
starts (server/auth/sessions.py), and a sign-in in progress belongs to no one yet: so the
pending sign-in (state, nonce, PKCE verifier) travels in its own short-lived signed cookie
(itsdangerous, keyed by SECRET_KEY), which also binds the callback to the browser that began
it. A signed cookie can be sent twice, so the callback's single use is kept server-side by a
``ReplayGuard``: the first callback with a state claims it, any later one is refused."""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass
from typing import Protocol

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Column, Engine, Float, MetaData, String, Table, delete, insert
from sqlalchemy.exc import IntegrityError

from server.identity.errors import SignInExpired

# Long enough for a parent to find their MitID app and approve, short enough that a cookie
# left in a browser is worthless soon after.
PENDING_MAX_SECONDS = 600


@dataclass(frozen=True)
class PendingSignIn:
    """One sign-in between ``begin`` and ``finish``: the values the callback must match."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    started_at: float


class PendingCookie:
    """Signs a ``PendingSignIn`` into a cookie value and reads it back, refusing it when
    tampered with or older than ``max_age`` seconds.

    ``purpose`` separates the parents' and the staff's flows: a cookie signed for one is
    refused by the other (itsdangerous' salt)."""

    def __init__(
        self, secret_key: str | bytes, purpose: str, max_age: int = PENDING_MAX_SECONDS
    ) -> None:
        if not secret_key:
            raise ValueError("a secret key is needed to sign the pending sign-in")
        self._serializer = URLSafeTimedSerializer(secret_key, salt=f"trivsel-oidc/{purpose}")
        self.max_age = max_age

    def dumps(self, pending: PendingSignIn) -> str:
        """The cookie's value."""
        return str(self._serializer.dumps(asdict(pending)))

    def loads(self, value: str | None) -> PendingSignIn:
        """The pending sign-in in a cookie's value; SignInExpired for none, a bad signature
        or an age past ``max_age``."""
        if not value:
            raise SignInExpired("no sign-in is pending in this browser")
        try:
            data = self._serializer.loads(value, max_age=self.max_age)
            return PendingSignIn(**data)
        except (BadSignature, TypeError) as exc:
            # SignatureExpired is a BadSignature: too old and tampered end alike.
            raise SignInExpired("the pending sign-in is too old or not ours") from exc


class ReplayGuard(Protocol):
    """Remembers which callbacks were used; shared by every worker and instance in
    production (a guard per process would let a replay through on another worker)."""

    def claim(self, key: str, until: float) -> bool:
        """True the first time ``key`` is claimed (before ``until``, a Unix time), False
        every later time. Must be atomic."""
        ...


class MemoryReplayGuard:
    """A guard for one process: the tests' and a single-process development server's."""

    def __init__(self) -> None:
        self._used: dict[str, float] = {}
        self._lock = threading.Lock()

    def claim(self, key: str, until: float) -> bool:
        """True the first time, under a lock (two callbacks racing: one wins)."""
        now = time.time()
        with self._lock:
            self._used = {k: t for k, t in self._used.items() if t > now}
            if key in self._used:
                return False
            self._used[key] = until
            return True


class RedisReplayGuard:
    """A guard shared through Redis (``SET NX``): for deployments whose sign-in throttle
    already uses Redis (RATELIMIT_STORAGE_URI=redis://…)."""

    def __init__(self, client: _RedisLike, prefix: str = "trivsel:oidc-used:") -> None:
        self._client = client
        self._prefix = prefix

    def claim(self, key: str, until: float) -> bool:
        """True the first time: Redis sets the key only where it is absent, atomically."""
        ttl = max(1, int(until - time.time()) + 1)
        return bool(self._client.set(self._prefix + key, b"1", nx=True, ex=ttl))


# The table the database guard writes. Its own MetaData: the models' migrations create it when
# the sign-in routes are wired (docs/identity.md), and nothing else reads it.
used_callbacks = Table(
    "oidc_used_state",
    MetaData(),
    Column("state", String(128), primary_key=True),
    Column("expires_at", Float, nullable=False, index=True),
)


class DatabaseReplayGuard:
    """A guard in the app's database, shared by every worker and instance: the state is the
    primary key, so of two inserts of one state the database lets exactly one through."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def claim(self, key: str, until: float) -> bool:
        """True the first time; each claim runs in a transaction of its own (committed
        whether or not the sign-in then succeeds), never in the request's."""
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    delete(used_callbacks).where(used_callbacks.c.expires_at < time.time())
                )
                connection.execute(insert(used_callbacks).values(state=key, expires_at=until))
        except IntegrityError:
            return False
        return True


class _RedisLike(Protocol):
    def set(self, name: str, value: bytes, *, nx: bool, ex: int) -> object: ...
