"""Sending a filing and recording the receiving side's answer on it (issue 22).

The first attempt is made when the server accepts the filing record (reports/publish.py),
so a folder filing is acknowledged at once; the filing job (``flask filing send``, or the
``jobs`` worker every ``FILING_RETRY_SECONDS``) sends again every filing not acknowledged
yet: one the receiving side refused or did not answer, and one it took without its final
receipt (SF2900's MODTAGET). Exporters make a repeated send one document (exporters.py),
so two instances retrying at once do no harm; the job's lock keeps two rounds from starting
together.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from server.courses.followup import close_done_tasks
from server.errors import ApiError
from server.extensions import db
from server.filing.archive import package
from server.filing.exporters import NotFiled
from server.filing.registry import exporter
from server.models import Course, Filing, Report
from server.models._common import utcnow
from server.photos.storage.base import StoreError

log = logging.getLogger(__name__)

# Filings sent again per round of the job (each is one request to the receiving side).
BATCH = 20


def attempt(filing: Filing, report: Report) -> None:
    """Send ``filing`` once and record the answer: acknowledged, sent (waiting for the
    receipt) or failed (with why). A document that cannot be made raises DocumentFailed
    (the same text fails every time: the tablet is told, as for the PDF)."""
    made = package(report, filing)
    filing.attempts = (filing.attempts or 0) + 1
    try:
        receipt = exporter().send(filing, made)
    except NotFiled as exc:
        filing.state = "failed"
        filing.last_error = str(exc)[:300]
        log.warning("filing %s not filed (attempt %d): %s", filing.id, filing.attempts, exc)
        return
    filing.location = receipt.location
    filing.last_error = receipt.note[:300]
    if receipt.acknowledged:
        filing.state = "acknowledged"
        filing.acknowledged_at = utcnow()
        log.info("filing %s acknowledged (attempt %d)", filing.id, filing.attempts)
        course = db.session.get(Course, filing.course_id)
        if course is not None:  # its "publish and file" task is done only now
            close_done_tasks(course, made=filing)
    else:
        filing.state = "sent"
        log.info("filing %s sent, waiting for its receipt: %s", filing.id, receipt.note)


def unacknowledged() -> list[Filing]:
    """Filings asked for and not acknowledged yet, oldest first."""
    return list(
        db.session.scalars(
            select(Filing)
            .where(
                Filing.acknowledged_at.is_(None),
                Filing.report_id.is_not(None),
                Filing.deleted_at.is_(None),
            )
            .order_by(Filing.filed_at, Filing.id)
            .limit(BATCH)
        )
    )


def send_unacknowledged() -> dict[str, int]:
    """Send every filing not acknowledged yet once more; commit after each."""
    done = {"acknowledged": 0, "waiting": 0, "failed": 0}
    for filing in unacknowledged():
        report = db.session.get(Report, filing.report_id)
        assert report is not None
        try:
            attempt(filing, report)
        except ApiError as exc:  # the document cannot be made (DocumentFailed)
            filing.state = "failed"
            filing.last_error = f"document: {exc.code}"[:300]
        except (OSError, StoreError) as exc:  # a photo could not be read: next round
            filing.state = "failed"
            filing.last_error = f"store: {type(exc).__name__}"[:300]
        done[
            "acknowledged"
            if filing.state == "acknowledged"
            else "waiting"
            if filing.state == "sent"
            else "failed"
        ] += 1
        db.session.commit()
    return done
