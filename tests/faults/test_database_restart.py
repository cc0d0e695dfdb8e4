"""A PostgreSQL restart during load (issue 26, point 1): parents reading see nothing of it
(their reads are tried again on a fresh connection: server/database.py, RetryReads); a write
that meets it is a 503 with Retry-After, and the tablet sends it again. No 500, nothing lost.

Before the fix, every gunicorn worker handed its next request a connection the restart had
cut (only connections idle 10 s were tried): 500s on the parents' pages, on pushes and pulls.
"""

from __future__ import annotations

import subprocess
import time

from tests.faults.load import Load, Served, assert_unharmed


def test_a_database_restart_is_invisible_to_readers_and_costs_writers_a_retry(
    app_served: Served, pg_ctl: list[str]
) -> None:
    mark = app_served.log_mark()
    with Load(app_served) as load:
        load.run_for(4)
        load.fault()
        began = time.monotonic()
        subprocess.run(
            [*pg_ctl, "restart", "-m", "fast", "-w", "-t", "60"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        restart_took = time.monotonic() - began
        load.run_for(6)
    outcome = load.outcome
    assert outcome is not None
    assert_unharmed(outcome, app_served.world.app)
    # A parent reading never noticed: every read answered, and answered 200.
    reads = outcome.of("report") + outcome.of("access")
    assert reads and {a.status for a in reads} == {200}, (restart_took, outcome.summary())
    # The restart was met (this test would pass idly otherwise) and said so in the log.
    logged = app_served.log_since(mark)
    assert "Database unavailable on " in logged, (restart_took, outcome.summary())
    assert "Unhandled error" not in logged
