"""The fixtures every suite shares (a pytest plugin, named in tests/conftest.py).

The app on a real database (a SQLite file, or PostgreSQL when TEST_DATABASE_URL is set):
one migrated database per test process, emptied after every test; the demo data; clients
signed in as the demo users; an SMTP inbox, a redis-server and an S3 server.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from server.demo import load_demo
from tests.harness.app import AppPool, demo_ids
from tests.harness.client import ApiClient
from tests.harness.database import migrated_database_url
from tests.harness.mail import Inbox, smtp_inbox
from tests.harness.served import free_port, redis_server
from tests.harness.settings import settings
from tests.s3server import s3_server

DEMO_PASSWORD = "demo-password-for-tests"

_apps = AppPool()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One migrated database per test process; every test leaves it empty."""
    return migrated_database_url(tmp_path_factory.mktemp("db"), "server")


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """Overrides for create_app; a test may change them before using ``app``."""
    return dict(settings(tmp_path, database_url))


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """The app for ``app_config`` on the empty, migrated database.

    No app context stays pushed during the test: each request gets its own, as in production
    (a shared one would share flask.g and the database session between requests)."""
    app = _apps.take(app_config)
    yield app
    _apps.give_back(app)


@pytest.fixture
def demo(app: Flask) -> dict[str, Any]:
    """The demo data (two institutions, one user per role, Emma's course with a meeting)."""
    with app.app_context():
        load_demo(DEMO_PASSWORD)
        return demo_ids()


@pytest.fixture
def client(app: Flask) -> ApiClient:
    """A browser-like client: keeps cookies and sends the CSRF token on writes."""
    return ApiClient(app.test_client())


@pytest.fixture
def as_user(app: Flask, demo: dict[str, Any]) -> Callable[[str], ApiClient]:
    """``as_user("familie")`` → a client signed in as that demo user."""

    def sign_in(name: str) -> ApiClient:
        c = ApiClient(app.test_client())
        c.login(f"{name}@example.org", DEMO_PASSWORD)
        return c

    return sign_in


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1 (see tests/s3server.py), for this test process."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def smtp_port() -> int:
    """A free port for a test's own SMTP server (``inbox``)."""
    return free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    """A real SMTP server on ``smtp_port`` that keeps what it receives."""
    with smtp_inbox(smtp_port) as handler:
        yield handler


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of the module's own on a loopback port (skips where none is installed)."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url
