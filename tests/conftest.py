"""Fixtures shared by the sync and server suites: the S3 protocol server. Markers by folder."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.servers import free_port, redis_server
from tests.mail import Inbox, smtp_inbox
from tests.s3server import s3_server

BROWSER_TESTS = Path(__file__).parent / "browser"


@pytest.hookimpl(tryfirst=True)  # before -m deselects by markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ is a `browser` test, so `-m "not browser"` (make check)
    leaves Chromium out: a `pytestmark` in a conftest.py is ignored by pytest."""
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


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
