"""Every request: an id, an access log line and the request metrics.

This is WSGI middleware around the Flask app rather than Flask hooks, so it sees every
answer (routing errors, unhandled exceptions) and times the request until its body has been
sent and the work queued after it (the outbox) is done.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map
from werkzeug.wsgi import ClosingIterator

from server.ops import metrics
from server.ops.logs import current_request_id

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

access_log = logging.getLogger("trivsel.access")

HEADER = "X-Request-ID"
# An id from a load balancer is kept only if it is short and plain: it ends up in every log
# line, so nothing that could break a line or a log query gets through.
_SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
# Route variables that carry a credential: their values are never logged.
SECRET_ARGS = frozenset({"secret", "token"})
# Probes and scrapes arrive every few seconds; their lines would drown everything else.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
_MAX_PATH = 300


def request_id_from(value: str | None) -> str:
    """The incoming id when it is sane, else a new random one."""
    if value and _SANE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestTracking:
    """WSGI middleware: request id in and out, access log line, request metrics."""

    def __init__(self, wsgi_app: WSGIApplication, url_map: Map) -> None:
        self.wsgi_app = wsgi_app
        self.url_map = url_map

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        current_request_id.set(request_id)
        metrics.request_started()
        status: list[int] = [500]

        def start(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = int(code.split(" ", 1)[0])
            headers[:] = [(k, v) for k, v in headers if k.lower() != HEADER.lower()]
            headers.append((HEADER, request_id))
            return start_response(code, headers, exc_info)

        def finish() -> None:
            try:
                self._record(environ, status[0], time.perf_counter() - started)
            finally:
                metrics.request_ended()
                current_request_id.set(None)

        try:
            body = self.wsgi_app(environ, start)
        except BaseException:
            finish()
            raise
        return ClosingIterator(body, [finish])

    def _record(self, environ: WSGIEnvironment, status: int, seconds: float) -> None:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        route, path = describe(self.url_map, environ)
        metrics.observe_request(route, method, status, seconds)
        if path in QUIET_PATHS and status < 400:
            return
        access_log.info(
            "%s %s %s",
            method,
            path,
            status,
            extra={
                "method": method,
                "path": path,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
            },
        )


def describe(url_map: Map, environ: WSGIEnvironment) -> tuple[str, str]:
    """(route template, path fit for a log line): the path without its query string and with
    the values of credential-carrying route variables replaced."""
    raw = str(environ.get("PATH_INFO", "/"))
    path = raw.encode("latin-1", "replace").decode("utf-8", "replace")
    adapter = url_map.bind_to_environ(environ)
    route = "unmatched"
    for method in (str(environ.get("REQUEST_METHOD", "GET")), "GET", "POST"):
        try:
            rule, args = adapter.match(path, method=method, return_rule=True)
        except HTTPException:  # no rule for this method (405) or path (404); redirects too
            continue
        route = rule.rule
        for name, value in args.items():
            if name in SECRET_ARGS and value:
                path = path.replace(str(value), "[redacted]")
        break
    return route, path[:_MAX_PATH]


def wrap(app: Any) -> None:
    """Install the middleware on a Flask app (test clients go through it as well)."""
    wsgi: Callable[..., Iterable[bytes]] = app.wsgi_app
    app.wsgi_app = RequestTracking(wsgi, app.url_map)
