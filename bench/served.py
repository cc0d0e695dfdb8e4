"""A Trivsel server for the benchmarks: a migrated database with demo data, served by
gunicorn on loopback (used by the sync, side-by-side and report benchmarks)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, insert, text, update
from sqlalchemy.engine import make_url

from server import create_app
from server.demo import load_demo
from server.extensions import db
from server.models import SYNC_TABLES, BoardNote, Course, Meeting, User
from tests.harness import gunicorn, settings

PASSWORD = "bench-password"
SECRET = "bench-secret"


@contextmanager
def serving(
    url: str, folder: Path, seed: int = 0, workers: int = 2
) -> Iterator[tuple[str, dict[str, str]]]:
    """A migrated database with demo data (and ``seed`` extra notes), served by gunicorn."""
    env, ids = prepared(url, folder, seed)
    with gunicorn(env, workers=workers) as base:
        yield base, ids


def prepared(url: str, folder: Path, seed: int = 0) -> tuple[dict[str, str], dict[str, str]]:
    """The benchmark server's settings and the demo's ids, on a database migrated here with
    the demo data (and ``seed`` extra notes); no connection left open for gunicorn."""
    folder.mkdir(parents=True, exist_ok=True)
    # The tests' settings (every file store under ``folder``), with the benchmark's secret
    # and room for its many sign-ins.
    env = settings(folder, url, SECRET_KEY=SECRET, LOGIN_RATE_LIMIT="1000 per minute")
    app = create_app(dict(env))
    with app.app_context():
        upgrade()
        load_demo(PASSWORD)
        ids = _ids()
        if seed:
            _seed_notes(ids, seed)
        db.engine.dispose()
    return env, ids


def _ids() -> dict[str, str]:
    course = db.session.query(Course).one()
    familie = db.session.query(User).filter_by(email="familie@example.org").one()
    return {
        "course": course.id,
        "child": course.child_id,
        "user": familie.id,
        "meeting": db.session.query(Meeting.id).scalar(),
    }


def _seed_notes(ids: dict[str, str], count: int) -> None:
    """``count`` notes in the demo course, written in bulk with their change rows."""
    stamp = datetime.now(UTC)
    for start in range(0, count, 5_000):
        rows, changes = [], []
        for i in range(start, min(count, start + 5_000)):
            note_id = str(uuid.uuid4())
            rows.append(
                {
                    "id": note_id,
                    "version": 1,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "field_clocks": {},
                    "meeting_id": ids["meeting"],
                    "course_id": ids["course"],
                    "column": "worries",
                    "text": f"note {i}",
                    "position": float(i),
                }
            )
            changes.append(
                {
                    "entity": "board_note",
                    "record_id": note_id,
                    "scope": f"course:{ids['course']}",
                    "seq": 1_000 + i,
                }
            )
        db.session.execute(insert(BoardNote), rows)
        db.session.execute(insert(SYNC_TABLES.change), changes)
    db.session.execute(
        update(SYNC_TABLES.counter).where(SYNC_TABLES.counter.c.id == 1).values(value=1_000 + count)
    )
    db.session.commit()
    with db.engine.connect() as conn:  # as autovacuum would, so the planner knows the sizes
        conn.execute(text("ANALYZE"))
        conn.commit()
    ids["seq"] = str(1_000 + count)


def pg_database(base_url: str, name: str) -> str:
    """A fresh database ``bench_<name>`` on the PostgreSQL at ``base_url``: its URL."""
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "bench_{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "bench_{name}"'))
    admin.dispose()
    return url.set(database=f"bench_{name}").render_as_string(hide_password=False)
