"""The browser tests' own waiting: a condition that is a promise is awaited, not taken as true.

``page.wait_for_function`` takes a promise for "true", so ``synced`` passed at once with an
async check of the tablet's outbox, and a test then looked for an upload the tablet had not
made yet (the CI failure of test_photo_order.py).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.steps import wait_until


def test_an_async_condition_that_stays_false_is_not_taken_as_met(page: Page) -> None:
    with pytest.raises(pytest.fail.Exception, match="not true after"):
        wait_until(page, "async () => false", timeout=0.5)


def test_an_async_condition_is_waited_for_until_it_turns_true(page: Page) -> None:
    page.evaluate("setTimeout(() => { window.ready = true; }, 300)")
    wait_until(page, "async () => window.ready === true", timeout=5)
    assert page.evaluate("window.ready") is True
