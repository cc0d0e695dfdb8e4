"""A mother and a father on two phones (390 x 844, Chromium) offline, as issue 21's walk asks:
each reads online through the invitation (two published reports, the consent page, the
comments and the access log), then loses the network and reloads. The reports, the consent
page, the access log and the comments are shown as last seen, marked as offline. A comment
written offline is not lost: the page says plainly that it cannot be sent without a network,
the text stays (across a reload too), and it is sent with one tap once the phone is online.

The online half of the walk is tests/browser/test_parents_phones.py. A course of its own
(tests/browser/report_world.py), so no other test's meeting is touched."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.report_world import fill_and_publish, invitation_link, new_course, ok
from tests.browser.steps import phone_context, wait_until, wait_until_installed

OFFLINE = "Du er offline. Du ser den udgave, der sidst blev hentet."
NOT_SENT = "Du er ikke på nettet, så bemærkningen er ikke sendt."
# Every page the parents' service worker keeps, in any of its caches (parent-sw.js).
KEPT_ALL = """async (urls) => {
  let found = 0;
  for (const name of await caches.keys()) {
    if (!name.startsWith("trivsel-parent")) continue;
    const cache = await caches.open(name);
    for (const url of urls) if (await cache.match(url)) found += 1;
  }
  return found >= urls.length;
}"""


def two_published_reports(base: str, tag: str) -> dict[str, Any]:
    """A child with a mother and a father, a consent request to each, the start meeting and
    a follow-up both published."""
    name = f"Off{tag}"
    world = new_course(base, name)
    api = world["api"]
    guardians = ok(api.get(f"{base}/api/children/{world['child']['id']}/guardians", timeout=30))
    for guardian in guardians:
        ok(
            api.post(
                f"{base}/api/consents",
                json={
                    "course_id": world["course"]["id"],
                    "guardian_id": guardian["id"],
                    "status": "requested",
                },
                timeout=30,
            )
        )
    first = world["meeting"]
    fill_and_publish(base, world, tag)
    world["meeting"] = ok(
        api.post(
            f"{base}/api/meetings",
            json={
                "course_id": world["course"]["id"],
                "kind": "follow_up",
                "place": "Solsikken",
                "starts_at": (
                    datetime.fromisoformat(first["starts_at"]) + timedelta(days=28)
                ).isoformat(),
            },
            timeout=30,
        )
    )
    fill_and_publish(base, world, f"{tag}b")
    world["meetings"] = [first["id"], world["meeting"]["id"]]
    world["name"] = name
    return world


@contextmanager
def phone(browser: Browser) -> Iterator[tuple[BrowserContext, Page]]:
    with phone_context(browser) as context:
        yield context, context.new_page()


def open_invitation(mobile: Page, base: str, link: str) -> None:
    """Open the invitation and let the service worker take the page."""
    mobile.goto(base + urlsplit(link).path)
    mobile.get_by_role("button", name="Åbn på denne telefon").click()
    expect(mobile.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
    wait_until_installed(mobile)


def read_online(mobile: Page, base: str, pages: list[str]) -> None:
    """Read every page online, until the phone keeps each."""
    for url in pages:
        assert (answer := mobile.goto(base + url)) is not None and answer.ok, url
        expect(mobile.locator("#offline")).to_be_hidden()
    wait_until(mobile, KEPT_ALL, pages, what="the phone keeps every page it read")


def shown_offline(mobile: Page, base: str, url: str, heading: str) -> None:
    """The kept page, with its heading, marked as the copy last fetched."""
    mobile.goto(base + url)
    expect(mobile.get_by_role("heading", name=heading)).to_be_visible()
    expect(mobile.locator("#offline")).to_have_text(OFFLINE)


def test_mother_and_father_read_offline_and_lose_nothing_they_type(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    world = two_published_reports(live_server, tag)
    first, second = (f"/p/reports/{m}" for m in world["meetings"])
    pages = ["/p/", first, second, "/p/consent", "/p/access"]
    links = {
        who: invitation_link(live_server, f"{who}.{world['name'].lower()}@example.net")
        for who in ("maria", "mads")
    }
    with phone(browser) as (mor_ctx, mor), phone(browser) as (far_ctx, far):
        # Online: the mother comments on the newest report (shared with the father), then
        # both read everything.
        open_invitation(mor, live_server, links["maria"])
        mor.goto(live_server + second)
        mor.get_by_label("Jeres bemærkning").fill(f"Læst hjemme {tag}")
        mor.get_by_label("Den anden forælder må også læse min bemærkning").check()
        mor.get_by_role("button", name="Send bemærkningen").click()
        expect(mor.get_by_text("Tak. Jeres bemærkning er sendt.")).to_be_visible()
        read_online(mor, live_server, pages)
        open_invitation(far, live_server, links["mads"])
        read_online(far, live_server, pages)
        far.goto(live_server + second)
        expect(far.locator("#comments")).to_contain_text(f"Læst hjemme {tag}")

        for context, mobile in ((mor_ctx, mor), (far_ctx, far)):
            context.set_offline(True)
            mobile.reload()
            expect(mobile.locator("#offline")).to_have_text(OFFLINE)
            shown_offline(mobile, live_server, "/p/", "Rapporter fra trivselsmøder")
            for report, agreed in ((first, tag), (second, f"{tag}b")):
                shown_offline(mobile, live_server, report, "Rapport fra trivselsmødet")
                what = mobile.get_by_text(f"Fast voksen om morgenen {agreed}", exact=True)
                expect(what.first).to_be_visible()
            expect(mobile.locator("#comments")).to_contain_text(f"Læst hjemme {tag}")
            shown_offline(
                mobile, live_server, "/p/access", "Hvem har åbnet eller ændret oplysningerne"
            )
            shown_offline(mobile, live_server, "/p/consent", "Hvad deler vi, og med hvem?")

        # The father writes a comment offline: the page says it is not sent, and keeps it.
        far.goto(live_server + second)
        words = f"Skrevet i toget {tag}"
        far.get_by_label("Jeres bemærkning").fill(words)
        far.get_by_role("button", name="Send bemærkningen").click()
        expect(far.get_by_role("alert")).to_contain_text(NOT_SENT)
        expect(far.get_by_label("Jeres bemærkning")).to_have_value(words)
        far.reload()  # still offline: the kept page, and the words still in the field
        expect(far.locator("#offline")).to_have_text(OFFLINE)
        expect(far.get_by_label("Jeres bemærkning")).to_have_value(words)

        # Online again: one tap sends it, and the mother reads it (he shared it).
        far_ctx.set_offline(False)
        far.get_by_label("Den anden forælder må også læse min bemærkning").check()
        far.get_by_role("button", name="Send bemærkningen").click()
        expect(far.get_by_text("Tak. Jeres bemærkning er sendt.")).to_be_visible()
        expect(far.locator("#comments")).to_contain_text(words)
        expect(far.get_by_label("Jeres bemærkning")).to_have_value("")
        mor_ctx.set_offline(False)
        mor.goto(live_server + second)
        expect(mor.locator("#offline")).to_be_hidden()
        expect(mor.locator("#comments")).to_contain_text(words)
