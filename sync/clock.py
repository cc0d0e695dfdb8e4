"""Hybrid logical clock stamps: the order of concurrent edits.

A stamp is ``"<wall ms, 13 digits>:<counter, 5 digits>:<node>"``; comparing stamps as
strings compares (wall, counter, node), so ties between devices are broken by node (the
client id) deterministically. Devices make stamps; the server checks and bounds them,
because a device whose clock runs far ahead must not win every conflict for as long as
its clock is wrong.

Stamps only order *concurrent* edits. Causality — an edit made after its author saw the
value it replaces — is carried by the mutation's ``base_version`` (sync/policy.py), not by
the clock, so a clock never needs to observe another's stamps: pulled records carry none.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_DRIFT_MS = 60_000
MAX_COUNTER = 99_999
_STAMP = re.compile(r"^(\d{13}):(\d{5}):([A-Za-z0-9-]{1,64})$")


@dataclass(frozen=True, order=True)
class Stamp:
    """A parsed stamp; ordering follows (wall, counter, node)."""

    wall: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.wall:013d}:{self.counter:05d}:{self.node}"


def parse(text: str) -> Stamp:
    """Parse a stamp from an untrusted client; ValueError when malformed."""
    match = _STAMP.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError("not a clock stamp: expected '<13-digit ms>:<5-digit counter>:<node>'")
    return Stamp(int(match.group(1)), int(match.group(2)), match.group(3))


def clamp(stamp: Stamp, now_ms: int, max_drift_ms: int = MAX_DRIFT_MS) -> Stamp:
    """Bound a client's stamp to at most ``max_drift_ms`` ahead of the server's clock."""
    bound = now_ms + max_drift_ms
    if stamp.wall <= bound:
        return stamp
    return Stamp(bound, stamp.counter, stamp.node)


class Clock:
    """The stamp clock of one node (the server, or a device in tests): wall time, with a
    counter so that its stamps always increase even when the wall clock steps back."""

    def __init__(self, node: str, now_ms: Callable[[], int] | None = None) -> None:
        self.node = node
        self._now = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._last = Stamp(0, 0, node)

    def tick(self) -> Stamp:
        """A stamp for a local event, later than every stamp this clock made before."""
        wall = max(self._now(), self._last.wall)
        counter = self._last.counter + 1 if wall == self._last.wall else 0
        return self._set(wall, counter)

    def _set(self, wall: int, counter: int) -> Stamp:
        if counter > MAX_COUNTER:  # keep five digits: move to the next millisecond instead
            wall, counter = wall + 1, 0
        self._last = Stamp(wall, counter, self.node)
        return self._last
