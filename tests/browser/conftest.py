"""Browser tests: the built PWA served by gunicorn over real HTTP, driven in real Chromium.

Chromium is Debian's package (Playwright's own download does not work on this machine).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from server import create_app
from server.demo import load_demo
from server.extensions import db
from tests.dbutil import fresh_database_url
from tests.e2e.servers import ROOT, gunicorn

DEMO_PASSWORD = "browser-demo-password"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn serving the real app and the built PWA on a migrated database with demo data."""
    if not (ROOT / "pwa" / "dist" / "index.html").is_file():
        pytest.fail("The PWA is not built: run 'make test' (it builds pwa/dist first).")
    tmp = tmp_path_factory.mktemp("live")
    env = {
        "TRIVSEL_ENV": "testing",
        "DATABASE_URL": fresh_database_url(tmp, "browser"),
        "SECRET_KEY": "browser-test-secret",
        "BLOB_DIR": str(tmp / "blobs"),
        "PWA_DIST": str(_copy_of_dist(tmp)),
    }
    app = create_app(dict(env))
    with app.app_context():
        upgrade()
        load_demo(DEMO_PASSWORD)
        db.engine.dispose()
    with gunicorn(env) as base:
        yield base


def _copy_of_dist(tmp: Path) -> Path:
    """Serve a copy, so a rebuild by another test cannot change files under a running browser."""
    return Path(shutil.copytree(ROOT / "pwa" / "dist", tmp / "dist"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (no cookies, no service worker, no IndexedDB)."""
    ctx = browser.new_context(locale="da-DK", viewport={"width": 1024, "height": 768})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
