"""Waiting for something that happens in another process: poll, never sleep a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(
    check: Callable[[], object], timeout: float, what: str, interval: float = 0.1
) -> None:
    """Call ``check`` until it returns something true; fail naming ``what`` after
    ``timeout`` seconds. A bound, not a measurement: nothing is asserted about the time."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not true after {timeout} s: {what}"
        time.sleep(interval)
