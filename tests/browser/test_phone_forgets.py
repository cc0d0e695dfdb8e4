"""A closed phone forgets (issue 19, finding 4), attacked in real Chromium.

A parent's phone reads the report, the board photo, the access log, the consent page and the
shared document online, so its service worker keeps them. Then: staff close the phone's
access and the phone makes one online request; or the parent presses "Glem denne telefon";
or the phone stays away from the server for longer than the offline bound. Offline
afterwards, none of those addresses shows anything of the child, and CacheStorage holds none
of them. The server side (every answer's headers) is tests/attack/test_phone_forgets.py.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.report_world import fill_and_publish, invitation_link, new_course, ok
from tests.browser.steps import wait_until, wait_until_installed
from tests.documents import plain_pdf

DOCUMENT_TITLE = "Ressourcevurdering"
ACCESS_INTRO = "Her kan du se, hvem i kommunen der har åbnet"
CONSENT_ASKED = "Du er blevet bedt om dit samtykke."

# What the parents' app keeps: every cache whose name starts so (parent-sw.js).
KEPT = """async (urls) => {
  const found = [];
  for (const name of await caches.keys()) {
    if (!name.startsWith("trivsel-parent")) continue;
    const cache = await caches.open(name);
    for (const url of urls) if (await cache.match(url)) found.push(url);
  }
  return found;
}"""
KEPT_ALL = f"async (urls) => ({KEPT})(urls).then((found) => found.length === urls.length)"
FORGOTTEN = """async () =>
  (await caches.keys()).every((name) => !name.startsWith("trivsel-parent"))
  && (await navigator.serviceWorker.getRegistrations())
       .every((r) => new URL(r.scope).pathname !== "/p/")"""


@pytest.fixture
def world(live_server: str) -> dict[str, Any]:
    """A published report with a board photo, a document shared with the parents and a
    consent request to the mother; the addresses her phone will read."""
    tag = uuid.uuid4().hex[:6]
    name = f"Liv{tag}"
    world = new_course(live_server, name)
    report = fill_and_publish(live_server, world, tag)
    api = world["api"]
    guardians = ok(
        api.get(f"{live_server}/api/children/{world['child']['id']}/guardians", timeout=30)
    )
    mor = next(g for g in guardians if g["relation"] == "mor")
    ok(
        api.post(
            f"{live_server}/api/consents",
            json={
                "course_id": world["course"]["id"],
                "guardian_id": mor["id"],
                "status": "requested",
                "channel": "letter",
            },
            timeout=30,
        )
    )
    document = ok(
        api.post(
            f"{live_server}/api/courses/{world['course']['id']}/attachments",
            files={"file": ("res.pdf", plain_pdf(tag), "application/pdf")},
            data={"title": DOCUMENT_TITLE, "kind": "topi", "shared_with_guardians": "true"},
            timeout=30,
        )
    )
    meeting = f"/p/reports/{world['meeting']['id']}"
    snapshot = ok(api.get(f"{live_server}/api/reports/{report['id']}/snapshot", timeout=30))
    photo = f"{meeting}/photos/{snapshot['report']['photos'][0]['id']}"
    return {
        **world,
        "tag": tag,
        "name": name,
        "mor": mor,
        "pages": ["/p/", meeting, f"{photo}/view", "/p/access", "/p/consent", "/p/attachments"],
        "files": [photo, f"/p/attachments/{document['id']}", f"{meeting}.json"],
        "link": invitation_link(live_server, f"maria.{name.lower()}@example.net"),
    }


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    # A route may still be answering the pages' last check: closing must not fail it.
    ctx.unroute_all(behavior="ignoreErrors")
    ctx.close()


@contextlib.contextmanager
def offline(phone: BrowserContext) -> Iterator[None]:
    """No network for the phone (its service worker's fetches included)."""
    phone.set_offline(True)
    try:
        yield
    finally:
        phone.set_offline(False)


def read_everything(mobile: Page, base: str, world: dict[str, Any]) -> list[str]:
    """Open the link and read every page and file online, with the worker in control, so
    the phone keeps them; returns the addresses, checked to be kept."""
    mobile.goto(base + urlsplit(world["link"]).path)
    mobile.get_by_role("button", name="Åbn på denne telefon").click()
    # The link leads straight to the report its message was about (issue 21).
    expect(mobile.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
    wait_until_installed(mobile)
    for url in world["pages"]:
        assert (response := mobile.goto(base + url)) is not None and response.ok, url
    expect(mobile.get_by_text(DOCUMENT_TITLE)).to_be_visible()
    for url in world["files"]:  # as the page's <img> or a tap on the document fetches them
        assert mobile.evaluate("async (u) => (await fetch(u)).status", url) == 200, url
    urls: list[str] = world["pages"] + world["files"]
    wait_until(mobile, KEPT_ALL, urls, what="the phone keeps every page and file it read")
    return urls


def shown(page: Page, url: str) -> str:
    """The text a phone shows for ``url`` now (a browser's own error page if nothing)."""
    with contextlib.suppress(PlaywrightError):  # no network, nothing kept: an error page
        page.goto(url)
    # Chromium's error page replaces the failed one just after goto gives up: read the text
    # once the document that is left has loaded.
    for _attempt in range(50):
        try:
            page.wait_for_load_state("load")
            return str(page.evaluate("() => document.body ? document.body.innerText : ''"))
        except PlaywrightError as error:
            if "context was destroyed" not in str(error):
                raise
    pytest.fail(f"{url}: the page never settled")


def assert_nothing_of_the_child(
    phone: BrowserContext, page: Page, base: str, world: dict[str, Any], urls: list[str]
) -> None:
    with offline(phone):
        for url in urls:
            text = shown(page, base + url)
            # Not the photo, the document or the JSON either (they have no text to search).
            kind = page.evaluate("document.contentType")
            assert kind in ("text/html", "text/plain"), (url, kind)
            for secret in (
                world["tag"],
                world["name"],
                DOCUMENT_TITLE,
                ACCESS_INTRO,
                CONSENT_ASKED,
                "Rapport fra trivselsmødet",
            ):
                assert secret not in text, (url, secret, text[:300])


def without_clear_site_data(stripped: list[str]) -> Callable[[Route], None]:
    """A route handler that gives the page each answer as a browser that ignores
    Clear-Site-Data (Safari) sees it; ``stripped`` collects the addresses it took it off."""

    def handle(route: Route) -> None:
        response = route.fetch(max_redirects=0)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "clear-site-data"}
        if len(headers) < len(response.headers):
            stripped.append(urlsplit(route.request.url).path)
        route.fulfill(response=response, headers=headers)

    return handle


@pytest.mark.parametrize("clear_site_data", ["honoured", "ignored"])
def test_a_phone_whose_access_is_closed_forgets_at_its_next_contact(
    phone: BrowserContext, live_server: str, world: dict[str, Any], clear_site_data: str
) -> None:
    """Chromium honours Clear-Site-Data, but not on an answer its service worker fetched;
    "ignored" takes the header off every answer the test can reach, as in Safari: the
    worker and the pages' script must forget by themselves."""
    mobile = phone.new_page()
    urls = read_everything(mobile, live_server, world)
    stripped: list[str] = []
    if clear_site_data == "ignored":
        phone.route("**/p/**", without_clear_site_data(stripped))
    # Staff close the phone's access, through the staff API.
    api, mor = world["api"], world["mor"]
    sessions = ok(api.get(f"{live_server}/api/guardians/{mor['id']}/sessions", timeout=30))
    assert len(sessions) == 1
    ok(api.post(f"{live_server}/api/guardian-sessions/{sessions[0]['id']}/revoke", timeout=30))
    # One online request: the refusal, and the phone forgets everything it kept.
    mobile.goto(live_server + "/p/")
    expect(mobile.get_by_role("heading", name="Siden kan ikke vises")).to_be_visible()
    wait_until(mobile, FORGOTTEN, what="every cache of the parents' app is gone")
    assert mobile.evaluate(KEPT, urls) == []
    if clear_site_data == "ignored":  # the page's own check was reached, and stripped
        assert "/p/online" in stripped, stripped
    assert_nothing_of_the_child(phone, mobile, live_server, world, urls)


def test_glem_denne_telefon_ends_the_access_and_empties_the_phone(
    phone: BrowserContext, live_server: str, world: dict[str, Any]
) -> None:
    mobile = phone.new_page()
    urls = read_everything(mobile, live_server, world)
    mobile.goto(live_server + "/p/")
    mobile.get_by_role("button", name="Glem denne telefon").click()
    expect(mobile.get_by_role("heading", name="Telefonen er glemt")).to_be_visible()
    expect(mobile.get_by_text("bed familieindgangen om et nyt link")).to_be_visible()
    mobile.wait_for_selector("body[data-forgotten=done]")
    wait_until(mobile, FORGOTTEN, what="every cache of the parents' app is gone")
    assert mobile.evaluate(KEPT, urls) == []
    assert_nothing_of_the_child(phone, mobile, live_server, world, urls)
    # Ended on the server too: the phone gets the refusal, and staff see no phone.
    mobile.goto(live_server + "/p/")
    expect(mobile.get_by_role("heading", name="Siden kan ikke vises")).to_be_visible()
    sessions = ok(
        world["api"].get(f"{live_server}/api/guardians/{world['mor']['id']}/sessions", timeout=30)
    )
    assert all(s["revoked_at"] is not None for s in sessions)


# Make the phone's record of its last answer from the server (and, with ``kept``, the
# stamp of the kept report page) older by ``age`` ms: days pass without a connection.
AGE = """async ({ age, url }) => {
  const pages = await caches.open("trivsel-parent-pages-v2");
  const restamp = async (key, change) => {
    const kept = await pages.match(key);
    if (!kept) throw new Error(`not kept: ${key}`);
    await pages.put(key, await change(kept));
  };
  if (url === null) {
    await restamp("/p/.checked", async (kept) => {
      const state = await kept.json();
      return new Response(JSON.stringify({ ...state, checked: state.checked - age }));
    });
  } else {
    await restamp(url, async (kept) => {
      const headers = new Headers(kept.headers);
      headers.set("Trivsel-Stored-At", String(Number(headers.get("Trivsel-Stored-At")) - age));
      return new Response(await kept.blob(), { status: kept.status, headers });
    });
  }
}"""
DAY_MS = 86_400_000


def test_kept_pages_are_not_shown_beyond_the_offline_bound(
    phone: BrowserContext, live_server: str, world: dict[str, Any]
) -> None:
    """PARENT_OFFLINE_DAYS (7 on the test server): a phone that has not reached the server
    for longer shows the plain "needs a connection" page and deletes what it kept; a kept
    page older than the bound is not shown even when the phone checked in lately."""
    mobile = phone.new_page()
    urls = read_everything(mobile, live_server, world)
    report = world["pages"][1]
    # Within the bound, offline reading works (six days without a connection).
    mobile.evaluate(AGE, {"age": 6 * DAY_MS, "url": None})
    with offline(phone):
        assert f"working {world['tag']}" in shown(mobile, live_server + report)
    # Eight days: the report is not shown, and nothing is kept any more.
    mobile.evaluate(AGE, {"age": 2 * DAY_MS, "url": None})
    with offline(phone):
        text = shown(mobile, live_server + report)
        assert "ikke haft forbindelse til Trivsel i over 7 dage" in text
        assert world["tag"] not in text
        assert mobile.evaluate(KEPT, urls) == []
    assert_nothing_of_the_child(phone, mobile, live_server, world, urls)
    # Online again, the report is kept anew; then its copy alone ages past the bound.
    mobile.goto(live_server + report)
    expect(mobile.get_by_text(f"working {world['tag']}")).to_be_visible()
    wait_until(mobile, KEPT_ALL, [report], what="the report is kept again")
    mobile.evaluate(AGE, {"age": 8 * DAY_MS, "url": report})
    with offline(phone):
        text = shown(mobile, live_server + report)
        assert world["tag"] not in text and "siden er ikke gemt på denne telefon" in text
        assert mobile.evaluate(KEPT, [report]) == []
