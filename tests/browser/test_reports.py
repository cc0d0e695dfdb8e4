"""Reports for parents in real Chromium: published offline from the tablet, read on a phone."""

from __future__ import annotations

import contextlib
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.report_world import fill_and_publish, invitation_link, new_course, ok
from tests.browser.steps import (
    ACTIVE_WORKER,
    add_note,
    serious_violations,
    sign_in,
    synced,
    wait_until,
    wait_until_installed,
)
from tests.server.reporting import pdf_text
from tests.sync.images import photo


def open_meeting(page: Page, first_name: str) -> None:
    page.get_by_role("button", name=re.compile(f"{first_name} Opstartsmøde")).click()
    expect(page.get_by_role("heading", name="Tavlen", exact=True)).to_be_visible()


def pinch(cdp: CDPSession, x: float, y: float, outward: bool) -> None:
    """Two touch points moving apart (zoom in) or together (zoom out)."""
    steps = range(1, 16) if outward else range(15, 0, -1)
    points = [[{"x": x - 10 - i * 6, "y": y}, {"x": x + 10 + i * 6, "y": y}] for i in steps]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points[0]})
    for touch in points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": touch})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_report_published_offline_is_published_on_reconnection(
    context: BrowserContext, page: Page, live_server: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"Alma{tag}"
    world = new_course(live_server, name)
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    wait_until_installed(page)
    context.set_offline(True)
    open_meeting(page, name)
    add_note(page, "Det der fungerer", f"Alma leger med Ida {tag}")
    image = tmp_path / "board.jpg"
    image.write_bytes(photo(size=(2000, 1500), seed=3))
    page.get_by_label("Tag billede af tavlen").set_input_files([image])
    expect(page.get_by_role("img", name="Billede af tavlen")).to_have_count(1)
    page.get_by_label("Hele mødet").click()  # a controlled radio: checked once stored
    expect(page.get_by_label("Hele mødet")).to_be_checked()
    next_at = (datetime.now() + timedelta(days=30)).replace(hour=9, minute=0)
    page.get_by_label("Næste møde", exact=True).fill(next_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Afslut mødet").click()
    expect(page.get_by_text("Mødet er afsluttet.")).to_be_visible()
    # The photo is on this tablet: it goes first, so publishing can be queued offline.
    page.get_by_role("button", name="Udgiv rapporten til forældrene").click()
    page.get_by_role("dialog").get_by_role("button", name="Udgiv og send").click()  # asked first
    expect(page.get_by_text("Udgivelsen venter")).to_be_visible()
    page.reload()  # a queued publication survives a reload
    expect(page.get_by_text("Udgivelsen venter")).to_be_visible()
    context.set_offline(False)
    page.get_by_role("button", name="Send nu").click()
    expect(page.get_by_text(re.compile("Udgivet .* af Frida Familieindgang"))).to_be_visible(
        timeout=30_000
    )
    synced(page)
    api = world["api"]
    reports = ok(
        api.get(f"{live_server}/api/meetings/{world['meeting']['id']}/reports", timeout=30)
    )
    assert [r["number"] for r in reports] == [1]
    snapshot = ok(api.get(f"{live_server}/api/reports/{reports[0]['id']}/snapshot", timeout=30))[
        "report"
    ]
    assert snapshot["columns"]["working"] == [f"Alma leger med Ida {tag}"]
    assert len(snapshot["photos"]) == 1
    # The mother and the father were both invited.
    for who in ("maria", "mads"):
        assert invitation_link(live_server, f"{who}.{name.lower()}@example.net")


def test_a_parent_reads_the_report_on_a_phone_and_staff_see_it_was_read(
    browser: Browser, context: BrowserContext, page: Page, live_server: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"Bo{tag}"
    world = new_course(live_server, name)
    fill_and_publish(live_server, world, tag)
    link = invitation_link(live_server, f"maria.{name.lower()}@example.net")
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
        accept_downloads=True,
    )
    phone.set_default_timeout(15_000)
    try:
        mobile = phone.new_page()
        mobile.goto(live_server + urlsplit(link).path)
        mobile.get_by_role("button", name="Åbn på denne telefon").click()
        # The link leads straight to the report its message was about (issue 21).
        expect(mobile.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
        for text in (
            f"worries {tag}",
            f"working {tag}",
            f"next_steps {tag}",
            f"Fast voksen om morgenen {tag}",
        ):
            expect(mobile.get_by_text(text)).to_be_visible()
        # Readable at 390 px: nothing wider than the screen.
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        expect(mobile.get_by_role("link", name="Tilføj til kalender")).to_have_attribute(
            "href", re.compile(r"\.ics$")
        )
        # Pinch to zoom the board photo (the page allows it: no user-scalable=no).
        board = mobile.get_by_role("img", name="Tavlen")
        expect(board).to_be_visible()
        box = board.bounding_box()
        assert box is not None
        # Two fingers spread apart on the photo, as real touch events; then pinch back.
        cdp = phone.new_cdp_session(mobile)
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        pinch(cdp, x, y, outward=True)
        wait_until(mobile, "window.visualViewport.scale > 1.5")
        pinch(cdp, 195, 400, outward=False)
        wait_until(mobile, "window.visualViewport.scale < 1.05")
        # The phone-sized photo is small; the full resolution comes only on request.
        shown = mobile.evaluate("document.querySelector('figure img').naturalWidth")
        assert shown <= 1000
        mobile.get_by_role("link", name="Vis billedet i fuld størrelse").click()
        full = mobile.locator("#full")
        expect(full).to_be_visible()
        wait_until(mobile, "document.querySelector('#full').naturalWidth > 0")
        assert full.evaluate("img => img.naturalWidth") == 2400
        mobile.get_by_role("link", name="Tilbage til rapporten").click()
        # The PDF downloads, opens, and holds the notes.
        with mobile.expect_download() as download:
            mobile.get_by_role("link", name="Hent som PDF").click()
        pdf = tmp_path / "report.pdf"
        download.value.save_as(pdf)
        text = pdf_text(pdf.read_bytes())
        assert f"worries {tag}" in text and f"Fast voksen om morgenen {tag}" in text
        # Once opened, the report reads offline.
        wait_until(mobile, ACTIVE_WORKER, what="the service worker is active")
        mobile.reload()
        wait_until(mobile, "navigator.serviceWorker.controller !== null")
        phone.set_offline(True)
        mobile.reload()
        expect(mobile.get_by_text(f"working {tag}")).to_be_visible()
        expect(mobile.get_by_text("Du er offline")).to_be_visible()
        phone.set_offline(False)
        mobile.reload()
        expect(mobile.get_by_text("Du er offline")).to_be_hidden()
        assert serious_violations(mobile) == [], "report on a phone"
        # The family unit's tablet shows that the mother has read it ...
        page.goto(live_server)
        sign_in(page, "familie@example.org")
        synced(page)
        open_meeting(page, name)
        receipt = re.compile(r"Læst af mor \d+\. \w+\.? kl\. \d{1,2}\.\d\d")
        expect(page.get_by_text(receipt)).to_be_visible()
        # ... and can close her phone's access: the phone then gets the plain refusal.
        access = page.get_by_role("region", name="Forældrenes adgang")
        expect(access.get_by_text("Telefoner med adgang:")).to_be_visible()
        access.get_by_role("button", name="Luk adgangen").click()
        page.get_by_role("dialog", name="Luk telefonens adgang?").get_by_role(
            "button", name="Luk adgangen"
        ).click()  # asked first (issue 12)
        expect(access.get_by_text(re.compile("Adgangen blev lukket"))).to_be_visible()
        mobile.reload()
        expect(mobile.get_by_role("heading", name="Siden kan ikke vises")).to_be_visible()
        expect(mobile.get_by_text(f"working {tag}")).to_have_count(0)
        # Offline, the revoked phone no longer has the copy either: it has forgotten all it
        # kept and its worker is gone (tests/browser/test_phone_forgets.py), so the browser
        # has nothing to show.
        wait_until(
            mobile, "async () => (await caches.keys()).length === 0", what="the phone forgets"
        )
        phone.set_offline(True)
        with contextlib.suppress(PlaywrightError):
            mobile.reload()
        expect(mobile.get_by_text(f"working {tag}")).to_have_count(0)
    finally:
        phone.close()
