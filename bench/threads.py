"""Running a benchmark's clients at once: the wall-clock time of all of them, and the first
error any of them raised (a thread's exception would otherwise only be printed)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def run_together(work: Callable[[int], None], count: int) -> float:
    """``work(0)`` … ``work(count - 1)`` in threads started together; seconds until all ended."""
    errors: list[BaseException] = []

    def guarded(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:  # raised below, once the other threads are done
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed
