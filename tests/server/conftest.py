"""Fixtures: the real app on a real database (a SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), migrated once per worker and emptied after every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from server import create_app
from server.demo import load_demo
from server.extensions import db
from tests.dbutil import fresh_database_url
from tests.server.client import ApiClient

DEMO_PASSWORD = "demo-password-for-tests"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One migrated database per xdist worker: migrations run once, data is cleared per test."""
    url = fresh_database_url(tmp_path_factory.mktemp("db"), "server")
    app = create_app(_config(url, tmp_path_factory.mktemp("blobs")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _config(url: str, blob_dir: Path, **extra: Any) -> dict[str, Any]:
    return {
        "TRIVSEL_ENV": "testing",
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key",
        "BLOB_DIR": str(blob_dir),
        # Every stored file of a test in its own folder (never the repository's instance/).
        "ATTACHMENT_DIR": str(blob_dir.with_name(blob_dir.name + "-attachments")),
        "FILING_DIR": str(blob_dir.with_name(blob_dir.name + "-filing")),
        **extra,
    }


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """Overrides for create_app; a test may change them before using ``app``."""
    return _config(database_url, tmp_path / "blobs")


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    # No app context stays pushed during the test: each request gets its own, as in production
    # (a shared one would share flask.g and the database session between requests).
    app = create_app(app_config)
    yield app
    with app.app_context():
        _empty_all_tables()
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables) if t.name != "sync_counter"]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own table names
        conn.execute(text("UPDATE sync_counter SET value = 0"))


@pytest.fixture
def demo(app: Flask) -> dict[str, Any]:
    """The demo data (two institutions, one user per role, Emma's course with a meeting)."""
    with app.app_context():
        load_demo(DEMO_PASSWORD)
        return demo_ids()


def demo_ids() -> dict[str, Any]:
    """Ids of the demo records the tests refer to."""
    from sqlalchemy import select

    from server.models import Child, Course, Institution, Meeting, User

    users = {u.email.split("@")[0]: u.id for u in db.session.scalars(select(User))}
    children = {c.first_name: c.id for c in db.session.scalars(select(Child))}
    course = db.session.scalars(select(Course)).one()
    meeting = db.session.scalars(select(Meeting)).one()
    institutions = {i.name: i.id for i in db.session.scalars(select(Institution))}
    return {
        "users": users,
        "children": children,
        "course": course.id,
        "meeting": meeting.id,
        "institutions": institutions,
    }


@pytest.fixture
def client(app: Flask) -> ApiClient:
    """A browser-like client: keeps cookies and sends the CSRF token on writes."""
    return ApiClient(app.test_client())


@pytest.fixture
def as_user(app: Flask, demo: dict[str, Any]) -> Any:
    """``as_user("familie")`` → a client signed in as that demo user."""

    def sign_in(name: str) -> ApiClient:
        c = ApiClient(app.test_client())
        c.login(f"{name}@example.org", DEMO_PASSWORD)
        return c

    return sign_in
