"""The WebKit lane (issue 23): the built PWA served by gunicorn, driven in Debian's WebKitGTK
(tests/webkit/driver.py). Its tests are marked `browser` in each module (`pytestmark`), so
`make check` leaves them out as it leaves Chromium out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.live import DEMO_PASSWORD, copy_of_dist
from tests.harness import ROOT, Gunicorn, migrated_app, migrated_database_url, settings
from tests.webkit.driver import webkit_driver


@pytest.fixture(scope="session")
def driver_url() -> Iterator[str]:
    with webkit_driver() as url:
        yield url


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Gunicorn]:
    """A server of the test's own (not yet started), so the test can stop it and start it
    again at the same address on the same database."""
    if not (ROOT / "pwa" / "dist" / "index.html").is_file():
        pytest.fail("The PWA is not built: run 'make test' (it builds pwa/dist first).")
    env = settings(
        tmp_path,
        migrated_database_url(tmp_path, "webkit"),
        SECRET_KEY="webkit-test-secret",
        PWA_DIST=str(copy_of_dist(tmp_path)),
    )
    migrated_app(env, demo_password=DEMO_PASSWORD)
    gunicorn = Gunicorn(env, workers=2)
    try:
        yield gunicorn
    finally:
        gunicorn.stop()
