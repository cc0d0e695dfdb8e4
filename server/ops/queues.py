"""Queue sizes read when Prometheus scrapes: cheap queries, the same answer from any worker.

- ``trivsel_outbox_messages{status}``: messages to parents by status (pending and failed
  are the backlog; kept means no SMTP is configured).
- ``trivsel_outbox_given_up``: failed messages that will not be retried any more.
- ``trivsel_outbox_oldest_waiting_seconds``: age of the oldest message still to be sent;
  it grows when the ``jobs`` worker (or cron) is not running.
- ``trivsel_photos_missing_bytes``: live board photo records whose bytes the server has not
  received from their uploader (the record arrived, its upload has not: a report with such
  a photo cannot be published; it grows when tablets cannot upload). It is one count in
  the database, beside ``blob_upload``, the table of verified uploads
  (``server/blobs_access.py``): a record's bytes are "received" exactly when it is
  *backed*, the rule that decides whether they are served. It does not ask the object store
  whether the object is still there (a request per photo); the restore drill checks that
  (docs/deploying.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import func, select

from server.blobs_access import backed_clause
from server.database import read_only
from server.extensions import db
from server.models import BoardPhoto, Course, OutboundMessage
from server.models._common import utcnow
from server.reports.outbox import MAX_ATTEMPTS

_WAITING = ("pending", "failed")

log = logging.getLogger(__name__)


class QueueCollector:
    """A prometheus_client collector evaluated at scrape time, inside the request."""

    def collect(self) -> Iterator[Metric]:
        try:
            with read_only():  # on SQLite: no write lock for a scrape
                families = [*_outbox(), _photos_missing()]
                db.session.rollback()
        except Exception:  # a scrape must still answer (the request figures matter most)
            db.session.rollback()
            log.exception("reading queue sizes for /metrics failed")
            return
        yield from families


def _outbox() -> list[Metric]:
    by_status = GaugeMetricFamily(
        "trivsel_outbox_messages", "Messages to parents in the outbox, by status.",
        labels=["status"])
    rows = db.session.execute(
        select(OutboundMessage.status, func.count()).group_by(OutboundMessage.status)).all()
    for status, count in rows:
        by_status.add_metric([status], count)
    given_up = db.session.scalar(select(func.count()).where(
        OutboundMessage.status == "failed", OutboundMessage.attempts >= MAX_ATTEMPTS))
    oldest = db.session.scalar(select(func.min(OutboundMessage.created_at)).where(
        OutboundMessage.status.in_(_WAITING), OutboundMessage.attempts < MAX_ATTEMPTS))
    age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
    return [
        by_status,
        GaugeMetricFamily("trivsel_outbox_given_up",
                          "Failed messages that will not be retried.", value=given_up or 0),
        GaugeMetricFamily("trivsel_outbox_oldest_waiting_seconds",
                          "Age of the oldest message still to be sent (0: none).",
                          value=max(age, 0.0)),
    ]


def _photos_missing() -> Metric:
    waiting = db.session.scalar(
        select(func.count()).select_from(BoardPhoto)
        .join(Course, Course.id == BoardPhoto.course_id)
        .where(BoardPhoto.deleted_at.is_(None), Course.deleted_at.is_(None), ~backed_clause()))
    return GaugeMetricFamily(
        "trivsel_photos_missing_bytes",
        "Live board photo records whose bytes their uploader has not sent yet.",
        value=waiting or 0)
