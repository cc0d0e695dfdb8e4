"""Queue sizes read when Prometheus scrapes: cheap queries, the same answer from any worker.

- ``trivsel_outbox_messages{status}``: messages to parents by status (pending and failed
  are the backlog; kept means no SMTP is configured).
- ``trivsel_outbox_given_up``: failed messages that will not be retried any more.
- ``trivsel_outbox_oldest_waiting_seconds``: age of the oldest message still to be sent;
  it grows when the ``jobs`` worker (or cron) is not running.
- ``trivsel_photos_missing_bytes``: of the newest board photo records, those whose bytes the
  store lacks (a report with such a photo cannot be published). Checking the store costs a
  request per photo on an object store, so it looks at the newest ``PHOTO_WINDOW`` records
  and the answer is kept for ``PHOTO_CHECK_SECONDS`` in each worker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from flask import current_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import func, select

from server.database import read_only
from server.extensions import db
from server.letters.outbox import MAX_ATTEMPTS
from server.models import BoardPhoto, OutboundMessage
from server.models._common import utcnow
from server.photos.store import blob_store

PHOTO_WINDOW = 500
PHOTO_CHECK_SECONDS = 60.0
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
        "trivsel_outbox_messages",
        "Messages to parents in the outbox, by status.",
        labels=["status"],
    )
    rows = db.session.execute(
        select(OutboundMessage.status, func.count()).group_by(OutboundMessage.status)
    ).all()
    for status, count in rows:
        by_status.add_metric([status], count)
    given_up = db.session.scalar(
        select(func.count()).where(
            OutboundMessage.status == "failed", OutboundMessage.attempts >= MAX_ATTEMPTS
        )
    )
    oldest = db.session.scalar(
        select(func.min(OutboundMessage.created_at)).where(
            OutboundMessage.status.in_(_WAITING), OutboundMessage.attempts < MAX_ATTEMPTS
        )
    )
    age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
    return [
        by_status,
        GaugeMetricFamily(
            "trivsel_outbox_given_up",
            "Failed messages that will not be retried.",
            value=given_up or 0,
        ),
        GaugeMetricFamily(
            "trivsel_outbox_oldest_waiting_seconds",
            "Age of the oldest message still to be sent (0: none).",
            value=max(age, 0.0),
        ),
    ]


def _photos_missing() -> Metric:
    cache = current_app.extensions.setdefault("trivsel_ops_photo_check", {})
    now = time.monotonic()
    if not cache or now - cache["at"] >= PHOTO_CHECK_SECONDS:
        hashes = db.session.scalars(
            select(BoardPhoto.content_hash)
            .where(BoardPhoto.deleted_at.is_(None))
            .order_by(BoardPhoto.created_at.desc())
            .limit(PHOTO_WINDOW)
        ).all()
        photos = blob_store()
        cache.update(at=now, value=sum(1 for digest in set(hashes) if not photos.has(digest)))
    return GaugeMetricFamily(
        "trivsel_photos_missing_bytes",
        f"Photos (distinct contents) among the newest {PHOTO_WINDOW} board photo records "
        "whose bytes the store lacks.",
        value=cache["value"],
    )
