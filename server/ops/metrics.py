"""Prometheus metrics: what the app counts, and the protected ``/metrics`` endpoint.

Under gunicorn each worker is a process with its own counters. gunicorn.conf.py points
``PROMETHEUS_MULTIPROC_DIR`` at a directory of its own before any worker starts; every
worker then writes its samples to memory-mapped files there, and a scrape answered by any
worker adds them all up (prometheus_client's multiprocess mode). Without that variable
(tests, ``flask run``) the counters are this process's own.

Queue sizes are not counted as they change but read from the database when scraped
(``server/ops/queues.py``), so every worker reports the same truth.

``/metrics`` is off unless ``METRICS_TOKEN`` is set, and then answers only
``Authorization: Bearer <METRICS_TOKEN>``: the figures are no one else's business.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from server.config import ConfigError
from server.errors import error_response

MIN_TOKEN_LENGTH = 16
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

HTTP_REQUESTS = Counter(
    "trivsel_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "trivsel_http_request_duration_seconds",
    "Time from a request's arrival until its answer was sent, by route template and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
# "livesum": the sum over live workers; a worker that dies mid-request is dropped from it
# by gunicorn's child_exit hook, or its request would count as in progress for ever.
IN_PROGRESS = Gauge(
    "trivsel_http_requests_in_progress",
    "Requests being handled now, over all workers.",
    multiprocess_mode="livesum",
)
PUSHED = Counter(
    "trivsel_sync_push_mutations",
    "Mutations received by sync pushes, by result status.",
    ["status"],
)
REJECTED = Counter(
    "trivsel_sync_push_rejections", "Rejected sync mutations, by error code.", ["code"]
)
PULLED = Counter(
    "trivsel_sync_pull_changes", "Changes (records and purges) sent by sync pulls.", ["kind"]
)

bp = Blueprint("ops_metrics", __name__)


def request_started() -> None:
    """A request arrived (the request-tracking middleware calls this, and then
    ``request_ended`` whatever happens)."""
    IN_PROGRESS.inc()


def request_ended() -> None:
    IN_PROGRESS.dec()


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request (called by the request-tracking middleware)."""
    method = method if method in _METHODS else "OTHER"
    HTTP_REQUESTS.labels(route, method, str(status)).inc()
    HTTP_LATENCY.labels(route, method).observe(seconds)


def count_push(results: Iterable[dict[str, Any]]) -> None:
    """Count a committed push's results by status, and rejections by code."""
    for result in results:
        status = str(result.get("status", "unknown"))
        PUSHED.labels(status).inc()
        if status == "rejected":
            REJECTED.labels(str((result.get("error") or {}).get("code", "unknown"))).inc()


def count_pull(records: int, purges: int) -> None:
    """Count the changes a committed pull page sent: records, and purged scopes."""
    if records:
        PULLED.labels("record").inc(records)
    if purges:
        PULLED.labels("purge").inc(purges)


def check_config(app: Flask) -> None:
    """Refuse a guessable token at start rather than expose the figures."""
    token = app.config.get("METRICS_TOKEN") or ""
    if token and len(token) < MIN_TOKEN_LENGTH:
        raise ConfigError(f"METRICS_TOKEN must be at least {MIN_TOKEN_LENGTH} characters.")


@bp.get("/metrics")
def scrape() -> Response:
    """Prometheus text format, for a bearer of METRICS_TOKEN only."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    if not token:
        return error_response(404, "not_found", "Not found.")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        resp = error_response(401, "unauthorized", "A valid metrics token is required.")
        resp.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return resp
    from server.ops.queues import QueueCollector

    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call] # unannotated upstream
    else:
        registry.register(_ThisProcess())
    registry.register(QueueCollector())
    resp = Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    resp.headers["Cache-Control"] = "no-store"
    return resp


class _ThisProcess:
    """This process's own metrics, when there is no multiprocess directory."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
