"""The app as an attacker meets it: gunicorn on a loopback port over real HTTP, with a second,
in-process copy of the app on the same database and stores that resets and seeds the data.

Real HTTP (not Flask's test client) because an attacker meets gunicorn first: its own
answers (an HTML 414 for a long request line, an HTML 400 for a malformed header) are part
of what the API answers, and an in-process client would never see them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy import select

from server import create_app
from server.demo import load_demo
from server.extensions import db
from tests.harness import (
    STORES,
    SYNC,
    Gunicorn,
    empty_all_tables,
    migrated_database_url,
    settings,
)
from tests.harness import sign_in as harness_sign_in

PASSWORD = "attack-demo-password"
# Every sign-in of the suite comes from 127.0.0.1: the throttle has tests of its own.
MANY_SIGN_INS = "100000 per minute"


@dataclass(frozen=True)
class Snapshot:
    """Rows by table name, and a folder holding a copy of every file store."""

    rows: dict[str, list[dict[str, Any]]]
    files: Path


def server_env(tmp: Path, name: str, **extra: str) -> dict[str, str]:
    """The settings the served app and its in-process twin share (``extra`` on top: a way
    in, tests/attack/doors.py)."""
    return settings(
        tmp,
        migrated_database_url(tmp, name),
        SECRET_KEY=f"attack-secret-{name}",
        LOGIN_RATE_LIMIT=MANY_SIGN_INS,
        **extra,
    )


class Served:
    """gunicorn serving create_app() plus an in-process app on the same data."""

    def __init__(
        self, tmp: Path, name: str, workers: int = 1, extra: dict[str, str] | None = None
    ) -> None:
        self.env = server_env(tmp, name, **(extra or {}))
        self.app: Flask = create_app(dict(self.env))
        self.server = Gunicorn(self.env, workers=workers)
        self.base = ""
        self._files_dir = tmp / "snapshots"
        self._taken = 0
        # How sign_in gets a session (base URL, e-mail): a way in of tests/attack/doors.py,
        # or the local password when none is set.
        self.signer: Callable[[str, str], requests.Session] | None = None

    def start(self) -> str:
        self.base = self.server.start()
        return self.base

    @property
    def log(self) -> Path:
        """gunicorn's output (tracebacks of unexpected errors land here)."""
        return self.server.log

    def stop(self) -> None:
        self.server.stop()
        with self.app.app_context():
            db.engine.dispose()

    def reset(self) -> None:
        """Every table emptied, every stored file removed, the demo data loaded again."""
        with self.app.app_context():
            empty_all_tables()
            load_demo(PASSWORD)
            db.session.remove()
        empty_stores(self.app)

    def snapshot(self) -> Snapshot:
        """Every row and every stored file as they are now (sessions included, so signed-in
        clients stay signed in after ``restore``)."""
        self._taken += 1
        return take_snapshot(self.app, self._files_dir / f"snapshot-{self._taken}")

    def restore(self, snap: Snapshot) -> None:
        put_back(self.app, snap)

    def sign_in(self, email: str) -> requests.Session:
        """A requests session signed in as that user, sending the CSRF token on every call."""
        if self.signer is not None:
            return self.signer(self.base, email)
        return sign_in(self.base, email)


def sign_in(base: str, email: str, password: str = PASSWORD) -> requests.Session:
    """A session signed in over HTTP that speaks the sync protocol too."""
    http = harness_sign_in(base, email, password)
    http.headers.update(SYNC)
    return http


def take_snapshot(app: Flask, folder: Path) -> Snapshot:
    """Every row of every table and a copy of every file store of ``app``."""
    with app.app_context():
        rows = {}
        with db.engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                rows[table.name] = [dict(r) for r in conn.execute(select(table)).mappings()]
        db.session.remove()
    for key in STORES:
        if Path(app.config[key]).exists():
            shutil.copytree(app.config[key], folder / key)
    return Snapshot(rows, folder)


def put_back(app: Flask, snap: Snapshot) -> None:
    """Exactly what ``take_snapshot`` saw, in one transaction; the files likewise."""
    with app.app_context():
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            for table in db.metadata.sorted_tables:
                if snap.rows[table.name]:
                    conn.execute(table.insert(), snap.rows[table.name])
        db.session.remove()
    for key in STORES:
        shutil.rmtree(app.config[key], ignore_errors=True)
        if (snap.files / key).exists():
            shutil.copytree(snap.files / key, app.config[key])


def empty_stores(app: Flask) -> None:
    for key in STORES:
        shutil.rmtree(app.config[key], ignore_errors=True)


@contextmanager
def served(
    tmp: Path, name: str, workers: int = 1, extra: dict[str, str] | None = None
) -> Iterator[Served]:
    """A started Served, stopped afterwards."""
    instance = Served(tmp, name, workers, extra)
    try:
        instance.start()
        yield instance
    finally:
        instance.stop()


def error_shape_problems(status: int, content_type: str, body: Any) -> list[str]:
    """What is wrong with an error answer, measured against the API's one error shape
    ``{"error": {"code": str, "message": str, "fields": {name: [str]}}}`` (empty: nothing)."""
    problems: list[str] = []
    if not content_type.startswith("application/json"):
        return [f"{status} answered as {content_type or 'no content type'}, not JSON"]
    if not isinstance(body, dict) or set(body) != {"error"} or not isinstance(body["error"], dict):
        return [f"{status} body is not {{'error': {{...}}}}: {str(body)[:200]}"]
    err = body["error"]
    if set(err) != {"code", "message", "fields"}:
        problems.append(f"{status} error keys are {sorted(err)}, not code/message/fields")
    if not isinstance(err.get("code"), str) or not err.get("code"):
        problems.append(f"{status} error code is not a non-empty string: {err.get('code')!r}")
    if not isinstance(err.get("message"), str) or not err.get("message"):
        problems.append(f"{status} error message is not a non-empty string")
    fields = err.get("fields")
    if not isinstance(fields, dict) or not all(
        isinstance(v, list) and all(isinstance(m, str) for m in v) for v in fields.values()
    ):
        problems.append(f"{status} error fields is not {{name: [message]}}: {str(fields)[:200]}")
    return problems
