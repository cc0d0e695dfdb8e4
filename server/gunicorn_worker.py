"""gunicorn workers that refuse malformed requests in the API's one error shape.

gunicorn answers some requests itself, before the app sees them — a request line (address)
longer than ``limit_request_line``, too many or too large headers, a malformed request —
and by default with an HTML page. These workers answer them with
``{"error": {"code", "message", "fields"}}`` like every other error (server/errors.py),
keeping gunicorn's limits, which protect the workers' memory. gunicorn.conf.py selects them.
"""

from __future__ import annotations

import json
from typing import Any

from gunicorn import util
from gunicorn.http.errors import (
    ConfigurationProblem,
    InvalidResponseHeader,
    InvalidResponseHeaderName,
    LimitRequestHeaders,
    LimitRequestLine,
    ParseException,
)
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

from server.web.headers import fixed_headers

_ANSWERS: dict[type[Exception], tuple[int, str, str, str]] = {
    LimitRequestLine: (
        414,
        "URI Too Long",
        "uri_too_long",
        "The address is too long (at most 8190 bytes with its query).",
    ),
    LimitRequestHeaders: (
        431,
        "Request Header Fields Too Large",
        "headers_too_large",
        "The request's headers are too many or too large.",
    ),
}
_BAD_REQUEST = (400, "Bad Request", "bad_request", "The request is not valid HTTP.")


def answer_for(exc: BaseException) -> tuple[int, str, str, str] | None:
    """(status, reason, code, message) for a request gunicorn refuses; None when the fault
    is the server's (gunicorn's own handling, a 500, stays)."""
    for kind, answer in _ANSWERS.items():
        if isinstance(exc, kind):
            return answer
    if isinstance(exc, InvalidResponseHeader | InvalidResponseHeaderName | ConfigurationProblem):
        return None
    return _BAD_REQUEST if isinstance(exc, ParseException) else None


def error_bytes(status: int, reason: str, code: str, message: str) -> bytes:
    """A complete HTTP response carrying the error body."""
    body = json.dumps({"error": {"code": code, "message": message, "fields": {}}}).encode()
    # The security headers every answer carries (the app never sees this request).
    fixed = "".join(f"{name}: {value}\r\n" for name, value in fixed_headers())
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n{fixed}"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class _JsonErrors:
    log: Any

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        answer = answer_for(exc)
        if answer is None:
            super().handle_error(req, client, addr, exc)  # type: ignore[misc]  # mixin: the worker class has it
            return
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, error_bytes(*answer))
        except Exception:  # the client may be gone; there is nobody left to tell
            self.log.debug("Failed to send error message.")


class JsonErrorSyncWorker(_JsonErrors, SyncWorker):
    """gunicorn's sync worker (one request at a time per process)."""


class JsonErrorThreadWorker(_JsonErrors, ThreadWorker):
    """gunicorn's threaded worker (GUNICORN_THREADS > 1)."""
