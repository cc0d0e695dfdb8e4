"""A parent's phone (390 x 844, Chromium) and the faults that pass (issue 21): the copy the
phone kept of a photo is kept, and shown, while the server cannot show it (the object store
away: a 503 picture); and without a network the consent buttons and the comment's withdraw
button leave nobody on the browser's error page: the page stays, its button too, and says
plainly that nothing was sent. A course of its own (tests/browser/report_world.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.live import LIVE_ENV
from tests.browser.report_world import fill_and_publish, invitation_link, new_course, ok
from tests.browser.steps import phone_context, wait_until, wait_until_installed

# The page's one photo, as the browser decoded it (0 while it is not loaded).
PHOTO_WIDTH = """() => {
  const img = document.querySelector("main a img");
  return img && img.complete ? img.naturalWidth : 0;
}"""
KEPT = """async (url) => {
  for (const name of await caches.keys()) {
    if (name.startsWith("trivsel-parent") && await (await caches.open(name)).match(url)) {
      return true;
    }
  }
  return false;
}"""
CONSENT_NOT_SENT = "Du er ikke på nettet, så dit svar er ikke sendt."
WITHDRAW_NOT_SENT = "Du er ikke på nettet, så bemærkningen er ikke trukket tilbage."


@pytest.fixture
def mobile(browser: Browser) -> Iterator[tuple[BrowserContext, Page]]:
    with phone_context(browser) as context:
        yield context, context.new_page()


def mothers_phone(base: str, page: Page, name: str) -> None:
    """The mother opens her invitation on the phone; the service worker takes the pages."""
    link = invitation_link(base, f"maria.{name.lower()}@example.net")
    page.goto(base + urlsplit(link).path)
    page.get_by_role("button", name="Åbn på denne telefon").click()
    expect(page.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
    wait_until_installed(page)


def read_until_kept(page: Page, base: str, url: str) -> None:
    page.goto(base + url)
    wait_until(page, KEPT, base + url, what=f"the phone keeps {url}")


@pytest.fixture
def broken_display_copy(live_server: str) -> Iterator[Any]:
    """Break a photo's display copy in the live server's file store: in its file's place a
    folder, so the store can neither read nor write it (a StoreError: the 503 picture).
    Yields the function that breaks one; puts the file back afterwards."""
    broken: list[tuple[Path, Path]] = []

    def breaks(digest: str) -> None:
        path = Path(LIVE_ENV["BLOB_DIR"]) / digest[:2] / digest[2:4] / f"{digest}.display.jpg"
        aside = path.with_name(path.name + ".aside")
        path.rename(aside)
        path.mkdir()
        broken.append((path, aside))

    yield breaks
    for path, aside in broken:
        path.rmdir()
        aside.rename(path)


def test_a_photo_read_before_still_shows_while_the_store_is_away(
    mobile: tuple[BrowserContext, Page], live_server: str, broken_display_copy: Any
) -> None:
    context, page = mobile
    name = f"Foto{uuid.uuid4().hex[:6]}"
    world = new_course(live_server, name)
    report = fill_and_publish(live_server, world, name)
    snapshot = ok(
        world["api"].get(f"{live_server}/api/reports/{report['id']}/snapshot", timeout=30)
    )
    photo = snapshot["report"]["photos"][0]
    meeting = world["meeting"]["id"]
    src = f"/p/reports/{meeting}/photos/{photo['id']}"
    mothers_phone(live_server, page, name)
    read_until_kept(page, live_server, f"/p/reports/{meeting}")
    wait_until(page, KEPT, live_server + src, what="the phone keeps the photo")
    wait_until(page, f"() => ({PHOTO_WIDTH})() > 0", what="the photo shows")
    width = page.evaluate(PHOTO_WIDTH)
    assert width == 1000  # the display copy, not the 640 px "cannot be shown" picture

    broken_display_copy(photo["content_hash"])
    answer = context.request.get(live_server + src)  # past the service worker
    assert answer.status == 503 and answer.headers["content-type"].startswith("image/svg")

    page.reload()
    expect(page.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
    wait_until(page, f"() => ({PHOTO_WIDTH})() > 0", what="the photo shows")
    assert page.evaluate(PHOTO_WIDTH) == width  # the kept copy, not the 503 picture
    assert page.evaluate(KEPT, live_server + src)  # and it is still kept


def test_offline_the_consent_and_withdraw_buttons_stay_and_say_nothing_was_sent(
    mobile: tuple[BrowserContext, Page], live_server: str
) -> None:
    context, page = mobile
    name = f"Svar{uuid.uuid4().hex[:6]}"
    world = new_course(live_server, name)
    api = world["api"]
    guardians = ok(
        api.get(f"{live_server}/api/children/{world['child']['id']}/guardians", timeout=30)
    )
    for guardian in guardians:
        body = {"course_id": world["course"]["id"], "guardian_id": guardian["id"]}
        ok(
            api.post(
                f"{live_server}/api/consents", json={**body, "status": "requested"}, timeout=30
            )
        )
    fill_and_publish(live_server, world, name)
    report = f"/p/reports/{world['meeting']['id']}"
    mothers_phone(live_server, page, name)
    page.goto(live_server + report)
    page.get_by_label("Jeres bemærkning").fill(f"Tak for mødet {name}")
    page.get_by_role("button", name="Send bemærkningen").click()
    expect(page.get_by_text("Tak. Jeres bemærkning er sendt.")).to_be_visible()
    read_until_kept(page, live_server, report)
    read_until_kept(page, live_server, "/p/consent")

    # Offline: "Giv samtykke" on the kept consent page.
    context.set_offline(True)
    page.reload()
    grant = page.get_by_role("button", name="Giv samtykke")
    grant.click()
    expect(page.get_by_role("alert")).to_contain_text(CONSENT_NOT_SENT)
    expect(grant).to_be_visible()
    assert urlsplit(page.url).path == "/p/consent"
    # Online again, the same button sends the answer.
    context.set_offline(False)
    grant.click()
    expect(page.get_by_text("Dit svar er gemt.")).to_be_visible()

    # Withdrawing: asked once online, then the network goes before the answer.
    page.get_by_role("button", name="Træk samtykket tilbage").click()
    expect(page.get_by_role("heading", name="Vil du trække samtykket tilbage?")).to_be_visible()
    context.set_offline(True)
    yes = page.get_by_role("button", name="Ja, træk samtykket tilbage")
    yes.click()
    expect(page.get_by_role("alert")).to_contain_text(CONSENT_NOT_SENT)
    expect(yes).to_be_visible()

    # The comment's withdraw button on the kept report.
    page.goto(live_server + report)
    withdraw = page.get_by_role("button", name="Træk bemærkningen tilbage")
    withdraw.click()
    expect(page.get_by_role("alert").filter(has_text=WITHDRAW_NOT_SENT)).to_be_visible()
    expect(withdraw).to_be_visible()
    expect(page.locator("#comments")).to_contain_text(f"Tak for mødet {name}")
    context.set_offline(False)
    withdraw.click()
    expect(page.get_by_text("Bemærkningen er trukket tilbage.")).to_be_visible()
