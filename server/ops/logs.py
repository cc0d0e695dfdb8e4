"""Logging: one JSON object per line on stderr (or readable text on a developer's machine),
each line of a request carrying its request id.

What never reaches a log line: request bodies, headers (cookies, CSRF tokens), query
strings, and parents' link secrets. The first three are simply never logged; link secrets can
hide in a path or in an exception's text, so every line is passed through ``redact`` as well.
"""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

# Set by the request-tracking middleware for the whole life of a request, including the
# work done after the answer has gone out (the outbox's call_on_close).
current_request_id: ContextVar[str | None] = ContextVar("trivsel_request_id", default=None)

# A parent's personal link is /p/invitation/<secret>; the secret is a bearer credential.
_LINK_SECRET = re.compile(r"(/p/invitation/)[^/?#<\s\"']+")
_MARK = "_trivsel_handler"
# Libraries that say at INFO what nobody operating the app needs (alembic: one line per
# plugin, in every worker at start).
# Libraries' start-up chatter at INFO, which says nothing to an operator (pikepdf announces
# its C++ log bridge when first imported, in whichever request first reads a PDF).
_QUIET = {"alembic.runtime.plugins": logging.WARNING, "pikepdf._core": logging.WARNING}


def redact(text: str) -> str:
    """``text`` without the secret of any parent's link in it."""
    return _LINK_SECRET.sub(r"\1[redacted]", text)


def resolved_format(config: dict[str, Any]) -> str:
    """LOG_FORMAT, or its default: JSON in production, text on a developer's machine."""
    fmt = str(config.get("LOG_FORMAT") or "").lower()
    if fmt in ("json", "text"):
        return fmt
    if fmt:
        raise ValueError(f"LOG_FORMAT must be 'json' or 'text', not {fmt!r}.")
    return "text" if config.get("TRIVSEL_ENV") in ("development", "testing") else "json"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to records logged while a request is being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


class TrivselJsonFormatter(JsonFormatter):
    """time, level, logger, message, request_id and any ``extra`` fields, secrets redacted."""

    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message"],
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in log_data.items()
        }


class TrivselTextFormatter(logging.Formatter):
    """A readable line for a developer's terminal, with the request id and extra fields."""

    _FIELDS = ("duration_ms", "job")

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s%(rid)s %(message)s%(extras)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.rid = f" [{request_id}]" if request_id else ""
        extras = [
            f"{name}={getattr(record, name)}" for name in self._FIELDS if hasattr(record, name)
        ]
        record.extras = f" ({' '.join(extras)})" if extras else ""
        return redact(super().format(record))


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg] # stream type is fixed
    """Writes to whatever ``sys.stderr`` is when a line is logged: gunicorn and pytest
    replace it, and a handler holding the old one would write into a closed file."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def make_handler(fmt: str = "json") -> logging.Handler:
    """Our stderr handler with the formatter for ``fmt`` (also used from gunicorn's config)."""
    handler = StderrHandler()
    handler.setFormatter(TrivselJsonFormatter() if fmt == "json" else TrivselTextFormatter())
    handler.addFilter(RequestIdFilter())
    setattr(handler, _MARK, True)
    return handler


def configure_logging(fmt: str, level: str = "INFO") -> None:
    """Send every logger's lines through one handler on the root logger. Safe to call again
    (each app made in a process replaces the handler rather than adding another)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
    root.addHandler(make_handler(fmt))
    root.setLevel(level.upper())
    for name, quiet_level in _QUIET.items():
        logging.getLogger(name).setLevel(quiet_level)


def gunicorn_logconfig(fmt: str, level: str = "INFO", access: bool = False) -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: its own lines (master and workers) through our handler,
    so a log collector reads one format. Its access line is dropped unless ``access``: the
    app writes its own, with the request id and without the query string (which may carry
    a token). Empty for text: gunicorn's own format is readable."""
    if fmt != "json":
        return {}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {
                "level": "INFO",
                "handlers": [] if access else ["null"],
                "propagate": access,
            },
            **{name: {"level": logging.getLevelName(quiet)} for name, quiet in _QUIET.items()},
        },
        "handlers": {
            "stderr": {"()": "server.ops.logs.make_handler", "fmt": "json"},
            "null": {"class": "logging.NullHandler"},
        },
        "formatters": {},
    }
