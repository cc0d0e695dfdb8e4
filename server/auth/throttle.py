"""Sign-in throttling that slows an attack down without locking the real user out.

Counted, in a store every worker and instance shares (``throttle_store``):

- **per address, every attempt** (``LOGIN_RATE_LIMIT``, 30 a minute): bounds the password
  hashing one address can make the server do;
- **per address, failures** (``LOGIN_FAILURE_LIMIT``, 30 an hour, over all accounts): bounds
  how many passwords one address can try in all. A place is taken *before* the password is
  checked and given back when it was right, so parallel requests cannot overshoot;
- **per account, failures** from any address (a level that forgets one failure every
  ``FORGET_SECONDS``). It never refuses by itself: it sets how long **each address** must
  wait between its attempts on that account. Once the account has ``LOGIN_FREE_FAILURES``
  (5) recent failures, an address that fails waits 1 s, then 2, 4, 8, 16 s, at most
  ``LOGIN_MAX_WAIT`` (30 s);
- **per address+account**: that wait, as a gate taken before the password is checked.

So an account under attack is slowed down, never locked: the wait belongs to the address
that failed, and a person at another address (the real user at school, at home) is let in at
once, or after at most ``LOGIN_MAX_WAIT`` when they mistype too. An attacker's guesses on one
account are bounded by ``LOGIN_FAILURE_LIMIT`` per address they control, and by one per
``LOGIN_MAX_WAIT`` per address once the account is under attack. Unknown e-mails are counted
exactly like known ones, so the answers tell nobody which accounts exist.

Two further bounds (issue 26): **per account, failures** from addresses where the account
has never signed in (``LOGIN_ACCOUNT_FAILURE_LIMIT``, 50 an hour): an attacker who holds
many addresses gets that many guesses on one account in all, however many addresses. An
address where the account signed in before (its office, its home: remembered ``KNOWN_DAYS``)
is not held back by it, so an attack from elsewhere does not shut the real user out where
they work. And **known office networks** (``OFFICE_NETWORKS``): many tablets behind one
office address sign in together, so the two per-address bounds do not apply there; the
failures are counted per address+account instead (``LOGIN_FAILURE_LIMIT`` on each account),
and the per-account bounds and the wait apply, so guessing one account from an office is
bounded as from any one address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import re
from dataclasses import dataclass, field

from flask import Flask, Response, current_app

from server.auth.throttle_fallback import store_for
from server.auth.throttle_store import ThrottleStore
from server.errors import ApiError, error_response
from server.proxies import Network, parse_networks

# One failure on an account is forgotten after this long: the free failures are "5 within
# about a quarter of an hour".
FORGET_SECONDS = 180.0
# A gate opens this much early (far below any wait): a browser whose countdown of the
# Retry-After ends a moment early (timers are not exact) is not sent back for a fraction of
# a second.
GATE_SLACK = 0.25
# An address where an account signed in is remembered for it this long (a success renews it).
KNOWN_DAYS = 90
_RATE = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    """``amount`` per ``period`` seconds, as a GCRA cost and burst tolerance."""

    amount: int
    period: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read "10 per minute" (or "10/minute")."""
        found = _RATE.match(text)
        if found is None or int(found.group(1)) < 1:
            raise ValueError(f"not a rate: {text!r} (write e.g. '10 per minute')")
        return cls(int(found.group(1)), float(_PERIODS[found.group(2).lower()]))

    @property
    def cost(self) -> float:
        return self.period / self.amount

    @property
    def tolerance(self) -> float:
        return self.period - self.cost


@dataclass(frozen=True)
class Policy:
    """The numbers, read once from the config."""

    attempts: Rate
    failures: Rate
    account_failures: Rate
    free_failures: int
    max_wait: float
    offices: tuple[Network, ...] = ()

    @classmethod
    def from_config(cls, config: dict[str, object]) -> Policy:
        return cls(
            Rate.parse(str(config["LOGIN_RATE_LIMIT"])),
            Rate.parse(str(config["LOGIN_FAILURE_LIMIT"])),
            Rate.parse(str(config["LOGIN_ACCOUNT_FAILURE_LIMIT"])),
            int(str(config["LOGIN_FREE_FAILURES"])),
            float(str(config["LOGIN_MAX_WAIT"])),
            tuple(parse_networks(str(config.get("OFFICE_NETWORKS") or ""))),
        )

    def in_office(self, address: str) -> bool:
        """Whether the address lies in a known office network (never for a non-address)."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.offices)

    def wait(self, failures: int) -> float:
        """The pause an address must keep between attempts on an account that has seen
        ``failures`` recent failures: none at first, then doubling, never above the cap."""
        if failures < self.free_failures:
            return 0.0
        return min(self.max_wait, 2.0 ** (failures - self.free_failures))

    @property
    def level_ceiling(self) -> float:
        """The account's level stops growing once the wait is at its cap, so it calms down
        within minutes after an attack ends, however long the attack went on."""
        return (self.free_failures + math.log2(max(self.max_wait, 1.0)) + 2) * FORGET_SECONDS


class Throttled(ApiError):
    """429 with the wait in ``retry_after`` (whole seconds, sent as Retry-After)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(429, "Too many sign-in attempts. Wait and try again.", "rate_limited")
        self.retry_after = max(1, math.ceil(seconds))


@dataclass
class Attempt:
    """One sign-in attempt admitted past the throttle; ``settle`` it with the outcome."""

    store: ThrottleStore
    policy: Policy
    account_key: str
    pair_key: str
    known_key: str
    # The failure places taken before the password was checked: (key, cost) each.
    places: list[tuple[str, float]] = field(default_factory=list)

    def settle(self, succeeded: bool) -> None:
        if succeeded:
            # A right password is no failure: its reserved places go back and the gate opens;
            # the address is now one where this account signs in.
            self.give_back()
            self.store.clear(self.pair_key)
            known = KNOWN_DAYS * 86400.0
            self.store.take(self.known_key, known, math.inf, known)
            return
        self.store.take(self.account_key, FORGET_SECONDS, math.inf, self.policy.level_ceiling)

    def take_place(self, key: str, rate: Rate) -> None:
        """Reserve one failure under ``rate``, or give back those taken and refuse."""
        step = self.store.take(key, rate.cost, rate.tolerance, rate.period)
        if not step.admitted:
            self.give_back()
            raise Throttled(step.tat - rate.tolerance - step.now)
        self.places.append((key, rate.cost))

    def give_back(self) -> None:
        for key, cost in self.places:
            self.store.give_back(key, cost)
        self.places.clear()


def init_app(app: Flask) -> None:
    """Check the settings at start-up (a typo must not surface at the first sign-in)."""
    app.extensions["trivsel_login_policy"] = Policy.from_config(app.config)
    app.extensions["trivsel_login_store"] = store_for(str(app.config["RATELIMIT_STORAGE_URI"]))

    @app.errorhandler(Throttled)
    def _throttled(exc: Throttled) -> Response:
        resp = error_response(exc.status, exc.code, exc.message)
        resp.headers["Retry-After"] = str(exc.retry_after)
        return resp


def admit(address: str, email: str) -> Attempt:
    """Take this attempt's places, or raise ``Throttled`` with how long to wait."""
    policy: Policy = current_app.extensions["trivsel_login_policy"]
    store: ThrottleStore = current_app.extensions["trivsel_login_store"]
    attempt = Attempt(
        store, policy, _key("c", email), _key("p", address, email), _key("k", address, email)
    )
    # Each decision is taken by the store's clock, read inside its atomic step
    # (throttle_store): an attempt that queued for the store is judged by when it got there.
    if not policy.in_office(address):
        rate = policy.attempts
        step = store.take(_key("a", address), rate.cost, rate.tolerance, rate.period)
        if not step.admitted:
            raise Throttled(step.tat - rate.tolerance - step.now)
        attempt.take_place(_key("f", address), policy.failures)
    else:
        # The office's many people share the address, so its failures are counted per
        # account there: a guesser in the office gets what any one address gets on an
        # account, and a colleague's typos do not use up anyone else's.
        attempt.take_place(_key("f", address, email), policy.failures)
    known = store.read(attempt.known_key)
    if known.tat is None or known.tat <= known.now:
        attempt.take_place(_key("t", email), policy.account_failures)
    level = store.read(attempt.account_key)
    recent = math.floor(max(0.0, (level.tat or 0.0) - level.now) / FORGET_SECONDS + 0.5)
    # The gate is set to the wait that will apply if this attempt fails; a success opens it.
    # While no wait applies there is no gate to take (a step of no length admits anyone).
    wait = policy.wait(recent + 1)
    if wait > 0:
        gate = store.take(attempt.pair_key, wait, GATE_SLACK, max(wait, 1.0))
        if not gate.admitted:
            attempt.give_back()
            raise Throttled(gate.tat - GATE_SLACK - gate.now)
    return attempt


def _key(kind: str, *parts: str) -> str:
    """A keyed hash: the store holds no address or e-mail, and keys cannot be forged."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = "\0".join((kind, *parts)).encode()
    return f"{kind}:{hmac.new(secret, message, hashlib.sha256).hexdigest()[:40]}"
