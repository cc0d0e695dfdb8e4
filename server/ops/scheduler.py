"""A small loop that runs periodic jobs until it is told to stop (SIGTERM, SIGINT).

It is deliberately plain: a few jobs, each every N seconds, one at a time in one process.
Several such processes may run at once (one per instance); each job is safe with that on
its own (see ``server/ops/jobs.py``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("trivsel.jobs")


@dataclass
class Job:
    """``run`` does one round of work and returns the figures to log."""

    name: str
    every_seconds: float
    run: Callable[[threading.Event], dict[str, Any]]
    next_at: float = 0.0  # due at once: a worker restarted daily still runs a daily job


class Scheduler:
    """Runs due jobs in turn; ``stop`` ends the loop after the job that is running."""

    def __init__(
        self,
        jobs: list[Job],
        after_each: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.jobs = jobs
        self.after_each = after_each
        self.clock = clock
        self.stop = threading.Event()

    def run_forever(self) -> None:
        log.info(
            "jobs worker started",
            extra={"jobs": {job.name: job.every_seconds for job in self.jobs}},
        )
        while not self.stop.is_set() and self.jobs:
            self.run_due()
            wait = min(job.next_at for job in self.jobs) - self.clock()
            self.stop.wait(max(wait, 0.0))
        log.info("jobs worker stopped")

    def run_due(self) -> None:
        """Run every job that is due now (each once)."""
        for job in self.jobs:
            if self.stop.is_set():
                return
            if job.next_at <= self.clock():
                self.run_job(job)

    def run_job(self, job: Job) -> None:
        """One round of ``job``; a failure is logged and the job runs again next time."""
        started = self.clock()
        try:
            figures = job.run(self.stop)
        except Exception:  # the worker outlives a database or mail server that is down
            log.exception("job failed", extra={"job": job.name})
        else:
            log.info(
                "job done",
                extra={
                    "job": job.name,
                    **figures,
                    "duration_ms": round((self.clock() - started) * 1000, 1),
                },
            )
        finally:
            self.after_each()
            job.next_at = self.clock() + job.every_seconds
