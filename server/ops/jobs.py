"""The periodic jobs and the ``flask jobs`` worker that runs them (Procfile ``worker``).

- **outbox**: send waiting messages to parents (with ``SMTP_HOST`` or
  ``LETTERS=digital_post``), every ``JOBS_OUTBOX_SECONDS`` (Digital Post's receipts are
  pushed to the app: ``letters/receipt_routes.py``). Running it on several instances at once
  relies on the outbox handing each message to one sender (``letters/outbox.py``).
- **retention**: delete closed courses past ``RETENTION_DAYS`` (and the children left
  without one, and audit entries past ``AUDIT_RETENTION_DAYS``), every
  ``JOBS_RETENTION_HOURS`` (and once at start). A job lock makes a second run that starts
  while one is going do nothing, so the work and its audit entries happen once.
- **filing**: send again every filing the case system has not acknowledged
  (server/filing/send.py), every ``FILING_RETRY_SECONDS``.
- **custody**: with ``CUSTODY_SOURCE=cpr``, ask the CPR service who holds custody of each
  child (server/identity/custody_refresh.py), every ``JOBS_CUSTODY_HOURS`` (and at start).
  Idempotent: a second instance doing the same sets the same values.

Operators who prefer cron run ``flask outbox send`` and ``flask retention`` instead
(docs/deploying.md); both take the same care.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask.cli import with_appcontext

from server.extensions import db
from server.letters.outbox import sending
from server.ops.locks import try_job_lock
from server.ops.scheduler import Job, Scheduler

if TYPE_CHECKING:
    from server.courses.retention import Deleted

OUTBOX_BATCH = 10

log = logging.getLogger(__name__)


def send_outbox(stop: threading.Event) -> dict[str, Any]:
    """Send what is waiting, a batch at a time, until nothing is left or we must stop."""
    from server.letters.outbox import send_pending

    total_sent = total_failed = 0
    while not stop.is_set():
        sent, failed = send_pending(limit=OUTBOX_BATCH)
        total_sent, total_failed = total_sent + sent, total_failed + failed
        if sent + failed < OUTBOX_BATCH:
            break
    return {"sent": total_sent, "failed": total_failed}


def send_filings() -> dict[str, Any]:
    """Send the filings not acknowledged yet once more (server/filing/send.py), unless
    another instance is at it."""
    from server.filing.send import send_unacknowledged

    if not try_job_lock("filing"):
        db.session.rollback()
        return {"skipped": "another filing run holds the lock"}
    return dict(send_unacknowledged())


def run_retention(days: int, audit_days: int | None = None) -> dict[str, Any]:
    """Delete the courses closed more than ``days`` days ago, the children left without a
    course, and audit entries older than ``audit_days`` (default: AUDIT_RETENTION_DAYS),
    unless another run is at it."""
    from server.courses import retention
    from server.models._common import utcnow

    now = utcnow()
    if audit_days is None:
        audit_days = int(current_app.config["AUDIT_RETENTION_DAYS"])
    done: dict[str, Any] = {
        "courses": 0,
        "photos": 0,
        "documents": 0,
        "filed": 0,
        "children": 0,
        "guardians": 0,
        "messages": 0,
        "course_ids": [],
        "child_ids": [],
    }
    if not try_job_lock("retention"):
        db.session.rollback()
        return {"skipped": "another retention run holds the lock"}
    # Each step is chosen under the lock: a run that waited sees what the one before it
    # deleted. Courses first, so a child whose last course goes now is left without one.
    courses = retention.expired(now, days)
    done["kept"] = [str(k) for k in retention.kept(now, days)]
    for line in done["kept"]:
        log.warning("retention %s", line)
    _tally(done, retention.delete_courses(courses) if courses else None)
    if try_job_lock("retention"):
        children = retention.childless(now, days)
        _tally(done, retention.delete_children(children, now) if children else None)
    else:
        db.session.rollback()
    # Photos uploaded but never named by a record: idempotent, safe beside another run.
    done["orphans"] = len(retention.delete_orphan_uploads(now))
    # By age alone: idempotent too.
    done["audit_entries"] = retention.delete_old_audit(now, audit_days)
    db.session.commit()
    return done


def _tally(done: dict[str, Any], result: Deleted | None) -> None:
    """Add a deletion's figures (it committed, which released the lock); with nothing
    deleted, end the transaction, and with it the lock."""
    if result is None:
        db.session.rollback()
        return
    for key, found in (
        ("courses", result.courses),
        ("photos", result.photos),
        ("documents", result.attachments),
        ("filed", result.filed),
        ("children", result.children),
    ):
        done[key] += len(found)
    done["guardians"] += result.rows.get("guardian", 0)
    done["messages"] += result.rows.get("outbound_message", 0)
    done["course_ids"] += result.courses
    done["child_ids"] += result.children


def configured_jobs() -> list[Job]:
    """The jobs this app's settings switch on."""
    config = current_app.config
    jobs = []
    if sending(config) and config["JOBS_OUTBOX_SECONDS"] > 0:
        jobs.append(Job("outbox", config["JOBS_OUTBOX_SECONDS"], send_outbox))
    if int(config["FILING_RETRY_SECONDS"]) > 0:
        jobs.append(
            Job("filing", int(config["FILING_RETRY_SECONDS"]), lambda _stop: send_filings())
        )
    if config["JOBS_RETENTION_HOURS"] > 0:
        days = config["RETENTION_DAYS"]
        jobs.append(
            Job(
                "retention",
                config["JOBS_RETENTION_HOURS"] * 3600,
                lambda _stop: run_retention(days),
            )
        )
    if config["CUSTODY_SOURCE"] == "cpr" and config["JOBS_CUSTODY_HOURS"] > 0:
        from server.identity.cli import refresh_custody_now

        jobs.append(
            Job("custody", config["JOBS_CUSTODY_HOURS"] * 3600, lambda _stop: refresh_custody_now())
        )
    return jobs


@click.command("jobs")
@click.option("--once", is_flag=True, help="Run each job once and exit (instead of looping).")
@with_appcontext
def jobs_command(once: bool) -> None:
    """Run the periodic jobs (outbox, retention, custody) until SIGTERM; see docs/deploying.md."""
    scheduler = Scheduler(configured_jobs(), after_each=db.session.remove)
    if once:
        scheduler.run_due()
        return

    def _stop(signum: int, _frame: FrameType | None) -> None:
        scheduler.stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    scheduler.run_forever()
