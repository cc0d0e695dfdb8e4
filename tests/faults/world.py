"""The world the fault suite's load runs in: the demo data on a PostgreSQL database of its
own, the demo meeting's report published, served by the Procfile's gunicorn
(gunicorn.conf.py) with ``WORKERS`` workers; invitations for the parents' phones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from tests.harness import (
    ApiClient,
    Gunicorn,
    demo_ids,
    migrated_app,
    migrated_database_url,
    settings,
)

PASSWORD = "faults-demo-password"
# The issue's load was 4 workers, 50 tablets and 500 phones on a machine of its own; this
# machine has 2 cores shared with other runs: 4 workers, 6 tablets and 20 phones.
WORKERS = 4
STAFF = ("familie@example.org", "paedagog@example.org")


@dataclass
class World:
    """What the load needs of the database: the demo meeting, its report published, and the
    child (whose guardians the phones are); ``app`` works on the same database."""

    app: Flask
    meeting_id: str
    child_id: str


@dataclass
class Served:
    """The app under gunicorn, with its settings and the world in its database."""

    env: dict[str, str]
    server: Gunicorn
    world: World

    @property
    def base(self) -> str:
        return self.server.base

    def log_mark(self) -> int:
        """Where gunicorn's log (the app's lines included) ends now: ``log_since`` reads on."""
        return self.server.log.stat().st_size

    def log_since(self, mark: int) -> str:
        with self.server.log.open("rb") as log:
            log.seek(mark)
            return log.read().decode(errors="replace")


def prepare_world(app: Flask) -> World:
    """Finish and publish the demo meeting's report, as the staff would."""
    from server.models import Course, Meeting

    staff = ApiClient(app.test_client())
    staff.login(STAFF[0], PASSWORD)
    with app.app_context():
        ids = demo_ids()
        meeting = db.session.get(Meeting, ids["meeting"])
        assert meeting is not None
        starts = meeting.starts_at
        course = db.session.get(Course, meeting.course_id)
        assert course is not None
        child_id = course.child_id
        db.session.remove()
    meeting_id = ids["meeting"]
    agreed = staff.post(
        "/api/agreements",
        {"meeting_id": meeting_id, "what": "Leg hver dag", "owner": "institution"},
    )
    assert agreed.status_code == 201, agreed.get_json()
    finished = staff.patch(
        f"/api/meetings/{meeting_id}",
        {
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": (starts + timedelta(days=28)).astimezone(UTC).isoformat(),
        },
    )
    assert finished.status_code == 200, finished.get_json()
    published = staff.post("/api/reports", {"meeting_id": meeting_id})
    assert published.status_code == 201, published.get_json()
    with app.app_context():
        db.engine.dispose()  # no connection held while gunicorn runs (or PostgreSQL restarts)
    return World(app, meeting_id, child_id)


def invite(world: World, phones: int) -> list[str]:
    """A fresh invitation link (its path) per phone, alternating between the child's
    guardians, as the staff would send them."""
    from server.models import Guardian
    from server.parents import guardian_access

    with world.app.app_context():
        guardians = list(
            db.session.scalars(select(Guardian).where(Guardian.child_id == world.child_id))
        )
        assert guardians, "the demo child has guardians"
        about = world.meeting_id
        links = [
            urlsplit(guardian_access.issue(guardians[i % len(guardians)], None, about)).path
            for i in range(phones)
        ]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return links


@contextmanager
def served(folder: Path, workers: int = WORKERS, **overrides: str) -> Iterator[Served]:
    """The demo data on a database of its own, its report published, served by gunicorn;
    ``overrides`` are settings (an object store's, a Redis URL…)."""
    env = settings(
        folder,
        migrated_database_url(folder, "faults"),
        # Every tablet and phone signs in from 127.0.0.1 within a second or two.
        LOGIN_RATE_LIMIT="1000 per minute",
        **overrides,
    )
    app = migrated_app(env, demo_password=PASSWORD)
    world = prepare_world(app)
    server = Gunicorn(env, workers=workers)
    server.start()
    try:
        yield Served(env, server, world)
    finally:
        server.stop()
