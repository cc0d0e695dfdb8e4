"""``/healthz`` (the process answers) and ``/readyz`` (it can do its work).

A load balancer sends traffic only to instances whose ``/readyz`` answers 200, and a
supervisor restarts an instance whose ``/healthz`` stops answering. Neither needs a sign-in
or says anything about children; a failure names the part that failed, and its details go
to the log (they can name internal hosts), not to the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from server.database import read_only
from server.extensions import db
from server.photos.store import object_store

bp = Blueprint("ops_health", __name__)
log = logging.getLogger(__name__)


def _database() -> None:
    with read_only():
        try:
            db.session.execute(text("SELECT 1"))
        finally:
            db.session.rollback()


def _store() -> None:
    # The object store the app uses (its folders, or the S3 bucket) can be reached and written.
    object_store().check()


# Each check raises when its part is not usable; adding a part is one line.
CHECKS: dict[str, Callable[[], None]] = {"database": _database, "store": _store}


def _no_store(body: dict[str, object], status: int) -> Response:
    resp = jsonify(body)
    resp.status_code = status
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/healthz")
def healthz() -> Response:
    """The process is alive (touches nothing else)."""
    return _no_store({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz() -> Response:
    """The database and the file store are reachable: 200, else 503 naming what failed."""
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure means "not ready"; the log says why
            log.exception("readiness check %r failed", name)
            checks[name] = "failed"
        else:
            checks[name] = "ok"
    failed = [name for name, result in checks.items() if result != "ok"]
    if not failed:
        return _no_store({"status": "ready", "checks": checks}, 200)
    return _no_store(
        {
            "status": "not_ready",
            "checks": checks,
            "error": {
                "code": "not_ready",
                "message": f"Not ready: {', '.join(failed)}.",
                "fields": {name: ["Unreachable."] for name in failed},
            },
        },
        503,
    )
