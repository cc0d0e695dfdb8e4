"""Browser tests: the built PWA served by gunicorn over real HTTP, driven in real Chromium.

Chromium is Debian's package (Playwright's own download does not work on this machine).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask_migrate import upgrade
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from server import create_app
from server.demo import load_demo
from server.extensions import db
from tests.dbutil import fresh_database_url
from tests.harness import ROOT, gunicorn

DEMO_PASSWORD = "browser-demo-password"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

LIVE_ENV: dict[str, str] = {}  # the live server's settings, for tests that reach behind it


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
        "ATTACHMENT_DIR": str(tmp / "attachments"),
        "FILING_DIR": str(tmp / "filing"),
        "PWA_DIST": str(_copy_of_dist(tmp)),
        # Many sign-ins from one address in a few seconds; the limit has tests of its own.
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "LOGIN_FAILURE_LIMIT": "1000 per hour",
    }
    app = create_app(dict(env))
    with app.app_context():
        upgrade()
        load_demo(DEMO_PASSWORD)
        db.engine.dispose()
    LIVE_ENV.update(env)
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


@pytest.fixture
def watched_page(browser: Browser) -> Iterator[Page]:
    """A page whose every request the test's routes and listeners see: no service worker.
    Once one controls the page, requests pass through it and Playwright's page and context
    routes and events miss them — a lost upload was staged, or a PUT counted, in about half
    of the runs, as soon as the worker took over."""
    ctx = browser.new_context(locale="da-DK", viewport={"width": 1024, "height": 768},
                              service_workers="block")
    ctx.set_default_timeout(15_000)
    yield ctx.new_page()
    ctx.close()


def api_session(base: str, email: str) -> requests.Session:
    """A plain HTTP client signed in as a demo user, to check what the server holds."""
    session = requests.Session()
    token = session.get(f"{base}/api/auth/csrf", timeout=30).json()["csrf_token"]
    resp = session.post(f"{base}/api/auth/login", json={"email": email, "password": DEMO_PASSWORD},
                        headers={"X-CSRF-Token": token}, timeout=30)
    resp.raise_for_status()
    session.headers["X-CSRF-Token"] = resp.json()["csrf_token"]
    return session


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def wait_until(page: Page, condition: str, arg: object = None, timeout: float = 20,
               what: str = "") -> None:
    """Poll ``condition`` (a JS expression or function, which may be async) until it is true.

    Not ``page.wait_for_function``: that does not await a promise, and a promise is truthy,
    so an async condition passed at once (``synced`` returned before the tablet had sent);
    and when its first check fails it re-checks by eval() inside the page, which the app's
    Content-Security-Policy refuses (no 'unsafe-eval'), so it failed whenever it had to wait.
    ``page.evaluate`` comes through DevTools, which CSP does not govern.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition, arg):
        if time.monotonic() > deadline:
            pytest.fail(f"not true after {timeout} s: {what or condition}")
        page.wait_for_timeout(100)


# Settles at once (unlike serviceWorker.ready, which waits forever if installing fails).
ACTIVE_WORKER = "async () => (await navigator.serviceWorker.getRegistration())?.active != null"


def wait_until_installed(page: Page) -> None:
    """The service worker controls the page, so the app will start without a network."""
    wait_until(page, ACTIVE_WORKER, what="the service worker is active")
    if page.evaluate("navigator.serviceWorker.controller === null"):
        page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null", what="the worker controls")
