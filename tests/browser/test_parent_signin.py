"""A parent signs in with MitID on a phone-sized screen (issue 20): real Chromium from /p/ to
the local provider (oidc-provider-mock, as the MitID broker) and back, reads a report of her
child, and logs out, after which the phone has nothing left and asks for MitID again."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.steps import serious_violations
from tests.identity.parents_live import Live, parents_live


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with parents_live(tmp_path_factory.mktemp("browser-parents")) as served:
        yield served


@pytest.fixture
def mobile(browser: Browser) -> Iterator[Page]:
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    phone.set_default_timeout(15_000)
    try:
        yield phone.new_page()
    finally:
        phone.close()


def sign_in_with_mitid(mobile: Page, live: Live, sub: str) -> None:
    mobile.goto(f"{live.url}/p/")
    expect(mobile.get_by_role("heading", name="Log ind med MitID")).to_be_visible()
    assert serious_violations(mobile) == []
    mobile.get_by_role("link", name="Log ind med MitID").click()
    mobile.get_by_role("button", name=sub, exact=True).click()  # the provider's own page


def test_a_parent_signs_in_with_mitid_reads_the_report_and_logs_out(
    mobile: Page, live: Live
) -> None:
    sign_in_with_mitid(mobile, live, "mitid-mette")
    expect(mobile.get_by_role("heading", name="Rapporter fra trivselsmøder")).to_be_visible()
    # Her child's report only: Noah's is not listed.
    expect(mobile.get_by_role("link", name=re.compile("Opstartsmøde"))).to_have_count(1)
    mobile.get_by_role("link", name=re.compile("Opstartsmøde")).click()
    expect(mobile.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    mobile.go_back()
    mobile.get_by_role("button", name="Log ud").click()
    expect(mobile.get_by_role("heading", name="Du er logget ud")).to_be_visible()
    assert serious_violations(mobile) == []
    expect(mobile.locator("body[data-forgotten=done]")).to_have_count(1)
    assert mobile.evaluate("caches.keys()") == []  # the parents' pages kept nothing
    mobile.goto(f"{live.url}/p/reports/{live.emma_meeting}")
    expect(mobile.get_by_role("heading", name="Log ind med MitID")).to_be_visible()


def test_a_parent_at_a_low_assurance_level_sees_whom_to_contact(mobile: Page, live: Live) -> None:
    sign_in_with_mitid(mobile, live, "mitid-mette-low")
    expect(mobile.get_by_role("heading", name="Du har ikke adgang")).to_be_visible()
    expect(mobile.get_by_text("ring til familieindgangen")).to_be_visible()
    assert serious_violations(mobile) == []
