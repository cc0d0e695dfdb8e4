"""The parents' pages in English on a phone (issue 21, point 8): a mother taps "English", the
choice holds after a reload and on every page, her next message comes in English, and axe's
WCAG 2.1 A and AA rules find nothing, of any impact, on any parents' page in either language."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.report_world import (
    fill_and_publish,
    invitation_link,
    new_course,
    newest_message,
    ok,
)
from tests.browser.steps import phone_context, wcag_violations


@pytest.fixture
def world(live_server: str) -> dict[str, Any]:
    """A published report for a new child; the mother's and the father's links."""
    tag = uuid.uuid4().hex[:6]
    name = f"Ella{tag}"
    made = new_course(live_server, name)
    report = fill_and_publish(live_server, made, tag)
    snapshot = ok(made["api"].get(f"{live_server}/api/reports/{report['id']}/snapshot", timeout=30))
    meeting = made["meeting"]["id"]

    def link(who: str) -> str:  # the link names PUBLIC_URL; the phone reaches this server
        email = f"{who}.{name.lower()}@example.net"
        return live_server + urlsplit(invitation_link(live_server, email)).path

    return {
        **made,
        "mother_email": f"maria.{name.lower()}@example.net",
        "mother": link("maria"),
        "father": link("mads"),
        "report": f"{live_server}/p/reports/{meeting}",
        "photo": f"{live_server}/p/reports/{meeting}/photos/{snapshot['report']['photos'][0]['id']}"
        "/view",
    }


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    with phone_context(browser) as context:
        yield context


def _open(page: Page, link: str) -> None:
    page.goto(link)
    page.get_by_role("button", name="Åbn på denne telefon").click()
    expect(page.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()


def test_a_mother_chooses_english_and_it_stays_chosen(
    phone: BrowserContext, world: dict[str, Any], live_server: str
) -> None:
    page = phone.new_page()
    _open(page, world["mother"])
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report from the meeting")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report from the meeting")
    page.goto(f"{live_server}/p/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports from the meetings")
    # Her next message is in English too: a corrected version is published.
    api, meeting = world["api"], world["meeting"]["id"]
    ok(api.post(f"{live_server}/api/reports", json={"meeting_id": meeting}, timeout=30))
    assert newest_message(world["mother_email"]).startswith("Dear Maria")
    # And back: "Dansk" is on every page, and it holds too.
    page.get_by_role("link", name="Dansk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporter fra trivselsmøder")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "da")


def test_every_parents_page_passes_axe_in_both_languages(
    browser: Browser, phone: BrowserContext, world: dict[str, Any], live_server: str
) -> None:
    page = phone.new_page()
    _open(page, world["mother"])
    # A follow-up meeting's agenda letter, sent to the guardians, for its page below.
    follow_up = {
        "course_id": world["course"]["id"],
        "kind": "follow_up",
        "place": "Solsikken",
        "starts_at": (
            datetime.fromisoformat(world["meeting"]["starts_at"]) + timedelta(days=28)
        ).isoformat(),
    }
    meeting = ok(world["api"].post(f"{live_server}/api/meetings", json=follow_up, timeout=30))["id"]
    ok(world["api"].post(f"{live_server}/api/meetings/{meeting}/agenda/send", timeout=30))
    pages = {
        "list": f"{live_server}/p/",
        "report": world["report"],
        "photo": world["photo"],
        "consent": f"{live_server}/p/consent",
        "access log": f"{live_server}/p/access",
        "documents": f"{live_server}/p/attachments",
        "letters": f"{live_server}/p/letters",
        "letter": f"{live_server}/p/letters/{meeting}",
        "refused": f"{live_server}/p/reports/{uuid.uuid4()}",
        "offline": f"{live_server}/p/offline",
    }
    found = {}
    for code in ("da", "en"):
        page.goto(f"{live_server}/p/language/{code}?next=/p/")
        expect(page.locator("html")).to_have_attribute("lang", code)
        for name, url in pages.items():
            answer = page.goto(url)
            # The page itself, not a refusal in its place (but for the refusal's own page).
            assert answer is not None and answer.ok == (name != "refused"), name
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", code)
            found[f"{name} ({code})"] = wcag_violations(page)
            # Styled as meant (the page's CSP admits its style block): it fits the phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        # A link's page on a phone that has none yet: the father's, not used up here.
        other = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        try:
            fresh = other.new_page()
            fresh.goto(f"{live_server}/p/language/{code}?next=/p/offline")
            fresh.goto(world["father"])
            expect(fresh.get_by_role("button")).to_be_visible()
            found[f"invitation ({code})"] = wcag_violations(fresh)
        finally:
            other.close()
    assert {name: v for name, v in found.items() if v} == {}
