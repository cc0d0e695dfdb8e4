"""axe-core on every screen: no serious or critical accessibility violations."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.steps import serious_violations, sign_in


def test_every_screen_passes_axe(page: Page, live_server: str) -> None:
    page.goto(live_server)
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    assert serious_violations(page) == [], "sign-in"
    sign_in(page, "paedagog@example.org", "wrong password")
    expect(page.get_by_role("alert")).to_be_visible()
    assert serious_violations(page) == [], "sign-in with an error"
    page.reload()
    sign_in(page, "paedagog@example.org")
    expect(page.get_by_role("status")).to_contain_text("Alt er sendt", timeout=20_000)
    assert serious_violations(page) == [], "meetings"
    page.get_by_role("button", name=re.compile("Emma Opstartsmøde")).click()
    expect(page.get_by_role("heading", name="Tavlen", exact=True)).to_be_visible()
    assert serious_violations(page) == [], "meeting"
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert serious_violations(page) == [], "meeting on a phone"


def test_the_check_itself_catches_a_violation(page: Page, live_server: str) -> None:
    """Proof that the axe check can fail: an unlabelled image is a critical violation."""
    page.goto(live_server)
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    page.evaluate(
        "document.body.append(Object.assign(document.createElement('img'), "
        "{src: '/pwa-192x192.png'}))"
    )
    assert "image-alt" in [v["id"] for v in serious_violations(page)]
