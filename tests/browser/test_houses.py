"""The child's three houses at the table (issue 25 §3), in real Chromium: filled offline beside
the board (words in each house, a drawing's photo in one), sent on reconnection, and shown in
the parents' report only once "Deles med forældrene" is chosen."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.report_world import fill_and_publish, invitation_link, new_course, ok
from tests.browser.steps import phone_context, sign_in, synced, wait_until, wait_until_installed
from tests.sync.images import photo

HOUSES = ("Huset med bekymringer", "Huset med de gode ting", "Drømmehuset")


def test_the_three_houses_are_filled_offline_and_reach_the_parents_only_when_shared(
    browser: Browser, context: BrowserContext, page: Page, live_server: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"Hus{tag}"
    world = new_course(live_server, name)
    words = {house: f"{house} siger {tag}" for house in HOUSES}
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    wait_until_installed(page)

    context.set_offline(True)
    page.get_by_role("button", name=re.compile(f"{name} Opstartsmøde")).click()
    expect(page.get_by_role("heading", name="Barnets tre huse")).to_be_visible()
    share = page.get_by_label("Deles med forældrene")
    expect(share).not_to_be_checked()  # the child's words stay with staff unless chosen
    for house, text in words.items():
        field = page.get_by_label(house, exact=True)
        field.fill(text)
        field.blur()  # saved when the field is left, as the minutes are
    drawing = tmp_path / "drawing.jpg"
    drawing.write_bytes(photo(size=(1200, 900), seed=25))
    page.get_by_label("Tag billede af tegningen i «Drømmehuset»").set_input_files([drawing])
    expect(page.get_by_role("img", name="Barnets tegning i «Drømmehuset»")).to_be_visible()
    # The drawing is no photo of the board.
    expect(page.get_by_role("img", name="Billede af tavlen")).to_have_count(0)
    page.reload()  # kept on the tablet, offline
    for house, text in words.items():
        expect(page.get_by_label(house, exact=True)).to_have_value(text)
    context.set_offline(False)
    synced(page)

    api, meeting_id = world["api"], world["meeting"]["id"]
    [kept] = ok(api.get(f"{live_server}/api/meetings/{meeting_id}/houses", timeout=30))
    assert kept["dream"] == words["Drømmehuset"] and kept["shared_with_parents"] is False
    fill_and_publish(live_server, world, tag)  # the board, finished, published: not shared

    link = invitation_link(live_server, f"maria.{name.lower()}@example.net")
    with phone_context(browser) as phone:
        mobile = phone.new_page()
        mobile.goto(live_server + urlsplit(link).path)
        mobile.get_by_role("button", name="Åbn på denne telefon").click()
        expect(mobile.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
        expect(mobile.get_by_text(f"worries {tag}")).to_be_visible()
        expect(mobile.get_by_role("heading", name="Barnets tre huse")).to_have_count(0)
        for text in words.values():
            expect(mobile.get_by_text(text)).to_have_count(0)

        share.check()  # at the table: agreed with the child
        expect(share).to_be_checked()
        expect(page.locator("#houses-heading ~ .parents-see")).to_be_visible()
        synced(page)
        ok(api.post(f"{live_server}/api/reports", json={"meeting_id": meeting_id}, timeout=30))

        mobile.reload()
        expect(mobile.get_by_role("heading", name="Barnets tre huse")).to_be_visible()
        for text in words.values():
            expect(mobile.get_by_text(text)).to_be_visible()
        drawn = mobile.get_by_role("img", name="Barnets tegning")
        expect(drawn).to_be_visible()
        wait_until(
            mobile,
            "[...document.querySelectorAll('#houses img')].every(i => i.naturalWidth > 0)",
            what="the drawing is served to the parent",
        )
