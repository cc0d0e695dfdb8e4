"""Browser tests: the built PWA served by gunicorn over real HTTP, driven in real Chromium
(tests/browser/live.py); the steps tests take in the page are in tests/browser/steps.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.live import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, LIVE_ENV, copy_of_dist
from tests.browser.steps import TEST_HOOKS, answer_pin_prompts
from tests.harness import ROOT, gunicorn, migrated_app, migrated_database_url, settings


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn serving the real app and the built PWA on a migrated database with demo data."""
    if not (ROOT / "pwa" / "dist" / "index.html").is_file():
        pytest.fail("The PWA is not built: run 'make test' (it builds pwa/dist first).")
    tmp = tmp_path_factory.mktemp("live")
    env = settings(
        tmp,
        migrated_database_url(tmp, "browser"),
        SECRET_KEY="browser-test-secret",
        PWA_DIST=str(copy_of_dist(tmp)),
        # Many sign-ins from one address in a few seconds; the limit has tests of its own.
        LOGIN_RATE_LIMIT="1000 per minute",
        LOGIN_FAILURE_LIMIT="1000 per hour",
    )
    migrated_app(env, demo_password=DEMO_PASSWORD)
    LIVE_ENV.update(env)
    with gunicorn(env) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        as_tablets(browser)
        yield browser
        browser.close()


def as_tablets(browser: Browser) -> None:
    """Every context a test makes (fixtures and tests alike): the test hooks are there before
    the app starts, and each page answers the tablet's PIN prompts (steps.answer_pin_prompts).
    Wrapped here once rather than in each of the many places that open a context."""
    make = browser.new_context

    def new_context(**options: Any) -> BrowserContext:
        ctx = make(**options)
        ctx.add_init_script(TEST_HOOKS)
        ctx.on("page", answer_pin_prompts)
        return ctx

    browser.new_context = new_context  # type: ignore[method-assign]  # one wrapper for all tests


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
    ctx = browser.new_context(
        locale="da-DK", viewport={"width": 1024, "height": 768}, service_workers="block"
    )
    ctx.set_default_timeout(15_000)
    yield ctx.new_page()
    ctx.close()
