"""One error shape for the whole API, produced here and nowhere else (STYLE.md habit 5).

Every error answer is ``{"error": {"code": str, "message": str, "fields": {name: [msg]}}}``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from server import database

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    503: "unavailable",
    415: "unsupported_media_type",
    422: "invalid",
    426: "client_outdated",
    429: "rate_limited",
    500: "server_error",
}

_MESSAGES = {
    401: "Sign in to continue.",
    404: "Not found.",
    422: "Some fields are not valid.",
    429: "Too many attempts. Wait a moment and try again.",
    500: "Something went wrong on the server. Your changes are kept; try again later.",
    503: "The service is unavailable for a moment. Your changes are kept; try again shortly.",
}


class ApiError(Exception):
    """An error the API answers with deliberately: a status, a code and a human message."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.fields = fields or {}


def error_response(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> Response:
    """Build the one error shape with its status."""
    resp = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    resp.status_code = status
    return resp


def flatten_messages(messages: Any) -> dict[str, list[str]]:
    """Turn marshmallow/webargs messages into ``{"field.sub": ["msg"]}``, dropping locations."""
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "form", "files", "path"}:
        merged: dict[str, list[str]] = {}
        for part in messages.values():
            merged.update(flatten_messages(part))
        return merged
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out.setdefault(prefix or "_schema", []).extend(value)
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                walk(f"{prefix}.{i}", sub)
        else:
            out.setdefault(prefix or "_schema", []).append(str(value))

    walk("", messages)
    return out


def _from_http(exc: HTTPException) -> Response:
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    fields = flatten_messages(data["messages"]) if "messages" in data else {}
    message = _MESSAGES.get(status) or (exc.description or exc.name)
    if status == 429 and exc.description:
        message = _MESSAGES[429]
    resp = error_response(status, _CODES.get(status, "error"), message, fields)
    # The exception's own headers are part of the answer: a 405's ``Allow`` (RFC 9110 says
    # it must be sent), a 429's ``Retry-After``, a 401's ``WWW-Authenticate``. Only the body
    # is ours (issue 19, finding 11).
    for name, value in exc.get_headers(request.environ):
        if name.lower() not in ("content-type", "content-length"):
            resp.headers[name] = value
    return resp


def register_error_handlers(app: Flask) -> None:
    """Route every exception the API can raise to the one shape."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Response:
        return error_response(
            400,
            "csrf_failed",
            "The request lacks a valid CSRF token. Fetch /api/auth/csrf and send it "
            "in the X-CSRF-Token header.",
        )

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError) -> Response:
        return error_response(422, "invalid", _MESSAGES[422], flatten_messages(exc.messages))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        if not request.path.startswith("/api/") and exc.code == 404:
            return Response("Not found", status=404, mimetype="text/plain")
        return _from_http(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if database.unavailable(exc):
            return _database_unavailable(app, exc)
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return error_response(500, "server_error", _MESSAGES[500])


def _database_unavailable(app: Flask, exc: Exception) -> Response:
    """The database away for a moment (a restart, a fail-over): a 503 the client may try
    again, never a 500. A read is tried again before this reaches anyone
    (server/database.py, RetryReads); a write is answered so, and the tablet sends it again."""
    # The driver's own words (e.g. "terminating connection due to administrator command",
    # "Connection refused"): what the operator looks for; they hold no request data.
    orig = getattr(exc, "orig", None)
    said = str(orig if orig is not None else exc).strip().splitlines()
    app.logger.warning(
        "Database unavailable on %s %s (%s: %s)",
        request.method,
        request.path,
        type(exc).__name__,
        said[0][:200] if said else "",
    )
    request.environ[database.UNAVAILABLE] = True
    resp = error_response(503, _CODES[503], _MESSAGES[503])
    resp.headers["Retry-After"] = str(database.RETRY_AFTER_SECONDS)
    return resp
