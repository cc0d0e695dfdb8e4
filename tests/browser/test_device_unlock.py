"""The tablet's start-up with sealed data (issue 23 part 2, docs/security.md): a passing
server fault or an old sign-in never costs the unsent work; the PIN, a retry or a new
sign-in opens it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from playwright.sync_api import BrowserContext, Page, Route, expect
from sqlalchemy import create_engine, select, update

from server.models import AuthSession
from server.models._common import utcnow
from tests.browser.live import DEMO_PASSWORD, LIVE_ENV
from tests.browser.steps import (
    COLUMNS,
    OPEN_DB,
    add_note,
    notes_on_server,
    open_demo_meeting,
    sign_in,
    synced,
    wait_until,
)

# Counted without the key: a row's count needs no opening.
OUTBOX_COUNT = f"""async () => {{
  const db = await {OPEN_DB};
  const n = await new Promise(r => {{
    const q = db.transaction('outbox').objectStore('outbox').count();
    q.onsuccess = () => r(q.result);
  }});
  db.close();
  return n;
}}"""

KEY_ROUTE = "**/api/devices/*/key"
SYNC_ROUTE = "**/api/sync/**"


def _unavailable(route: Route) -> None:
    route.fulfill(
        status=503,
        headers={"Retry-After": "5"},
        json={"error": {"code": "unavailable", "message": "Restarting.", "fields": {}}},
    )


def _a_note_waiting(page: Page, base: str) -> str:
    """Signed in (a PIN chosen), one note made that the server has not had."""
    note = f"Venter på serveren {uuid.uuid4().hex[:6]}"
    page.goto(base)
    sign_in(page, "familie@example.org")
    synced(page)
    open_demo_meeting(page)
    page.route(SYNC_ROUTE, lambda route: route.abort())  # nothing goes out: the note waits
    add_note(page, COLUMNS["next_steps"], note)
    assert page.evaluate(OUTBOX_COUNT) == 1
    # From here the test sees the PIN screen itself instead of answering it at once.
    page.remove_locator_handler(page.get_by_label("Pinkode", exact=True))
    return note


def test_a_server_fault_at_start_keeps_the_work_and_asks_for_the_pin(
    watched_page: Page, live_server: str
) -> None:
    page = watched_page  # no service worker: the page's routes see every request
    note = _a_note_waiting(page, live_server)
    page.route(KEY_ROUTE, _unavailable)
    page.reload()
    expect(page.get_by_role("heading", name="Lås appen op")).to_be_visible()
    expect(page.get_by_text("Serveren svarer ikke lige nu")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_count(0)  # not the sign-in page
    assert page.evaluate(OUTBOX_COUNT) == 1
    page.get_by_role("button", name="Prøv igen").click()  # the fault still lasts
    expect(page.get_by_label("Pinkode", exact=True)).to_be_visible()
    assert page.evaluate(OUTBOX_COUNT) == 1
    page.unroute(KEY_ROUTE)
    page.unroute(SYNC_ROUTE)
    page.get_by_role("button", name="Prøv igen").click()  # the server is back
    synced(page)
    assert notes_on_server(live_server).count(note) == 1


def test_the_pin_opens_the_work_while_the_server_is_at_fault(
    watched_page: Page, live_server: str
) -> None:
    page = watched_page
    note = _a_note_waiting(page, live_server)
    page.route(KEY_ROUTE, _unavailable)
    page.reload()
    page.get_by_label("Pinkode", exact=True).fill("246810")
    page.get_by_role("button", name="Lås op").click()
    expect(page.get_by_text(note)).to_be_visible()
    page.unroute(SYNC_ROUTE)
    page.unroute(KEY_ROUTE)
    page.get_by_role("button", name="Send nu").click()
    synced(page)
    assert notes_on_server(live_server).count(note) == 1


def _sign_in_an_hour_ago() -> None:
    """The latest sign-in (the test's page) becomes old; its session still lives."""
    url = LIVE_ENV["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as conn:
        latest = conn.execute(
            select(AuthSession.id).order_by(AuthSession.created_at.desc()).limit(1)
        ).scalar_one()
        conn.execute(
            update(AuthSession)
            .where(AuthSession.id == latest)
            .values(created_at=utcnow() - timedelta(hours=1))
        )
    engine.dispose()


def test_a_later_start_with_a_living_session_asks_for_the_pin(
    watched_page: Page, live_server: str
) -> None:
    """What a copied profile meets online: the cookie still lives, the key is not given."""
    page = watched_page
    note = _a_note_waiting(page, live_server)
    _sign_in_an_hour_ago()
    page.reload()
    expect(page.get_by_role("heading", name="Lås appen op")).to_be_visible()
    expect(page.get_by_text("Det er et stykke tid siden, du loggede ind")).to_be_visible()
    expect(page.get_by_text(note)).to_have_count(0)
    assert page.evaluate(OUTBOX_COUNT) == 1
    page.get_by_label("Pinkode", exact=True).fill("246810")
    page.get_by_role("button", name="Lås op").click()
    expect(page.get_by_text(note)).to_be_visible()
    page.unroute(SYNC_ROUTE)
    page.get_by_role("button", name="Send nu").click()
    synced(page)
    assert notes_on_server(live_server).count(note) == 1


def _another_signs_in(page: Page, base: str) -> str:
    """Frida's note waits unsent; her session is gone from the browser and the pedagogue
    signs in on the same tablet."""
    note = _a_note_waiting(page, base)
    # The app closed before the way out opens: with the sync route open while Frida's app
    # still ran, its next round sent the note (a full run failed so: nothing was waiting).
    page.goto("about:blank")
    page.context.clear_cookies()
    page.unroute(SYNC_ROUTE)
    page.goto(base)
    sign_in(page, "paedagog@example.org")
    return note


def test_another_person_signing_in_is_told_whose_work_waits_and_can_keep_it(
    watched_page: Page, live_server: str
) -> None:
    page = watched_page
    note = _another_signs_in(page, live_server)
    told = page.get_by_text("1 ændring fra Frida Familieindgang er ikke sendt endnu")
    expect(told).to_be_visible()
    page.get_by_role("button", name="Behold dem, til Frida Familieindgang logger ind").click()
    expect(page.get_by_text("Ændringerne er gemt på tabletten")).to_be_visible()
    assert page.evaluate(OUTBOX_COUNT) == 1
    sign_in(page, "familie@example.org")  # hers again: the work opens and goes
    synced(page)
    assert notes_on_server(live_server).count(note) == 1


def test_another_person_may_discard_the_waiting_work_deliberately(
    watched_page: Page, live_server: str
) -> None:
    page = watched_page
    note = _another_signs_in(page, live_server)
    page.get_by_role("button", name="Slet dem, og fortsæt som Peter Pædagog").click()
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    synced(page)
    assert page.evaluate(OUTBOX_COUNT) == 0
    assert note not in notes_on_server(live_server)


def test_two_tabs_starting_together_share_one_key(
    context: BrowserContext, live_server: str
) -> None:
    """Signed in already (the cookie), two tabs open at once: each finds no key and would make
    its own (review #6); one tab at a time makes it, so what either stores the other reads."""
    csrf = context.request.get(f"{live_server}/api/auth/csrf").json()["csrf_token"]
    login = context.request.post(
        f"{live_server}/api/auth/login",
        data={"email": "familie@example.org", "password": DEMO_PASSWORD},
        headers={"X-CSRF-Token": csrf},
    )
    assert login.ok
    first, second = context.new_page(), context.new_page()
    first.goto(live_server, wait_until="commit")
    second.goto(live_server, wait_until="commit")
    for page in (first, second):
        synced(page)
    marks = [f"Fane {n} {uuid.uuid4().hex[:6]}" for n in (1, 2)]
    for page, mark in zip((first, second), marks, strict=True):
        open_demo_meeting(page)
        add_note(page, COLUMNS["worries"], mark)
        synced(page)
    for page in (first, second):
        page.reload()
        for mark in marks:
            expect(page.get_by_text(mark)).to_be_visible()


def test_another_person_signing_in_in_one_tab_restarts_the_other(
    context: BrowserContext, live_server: str
) -> None:
    """The other tab held the old key: left as it was, what it wrote would be sealed under a
    key nobody has. It starts again, as the person now signed in, and both read each other."""
    first, second = context.new_page(), context.new_page()
    first.goto(live_server)
    sign_in(first, "familie@example.org")
    synced(first)
    second.goto(live_server)
    synced(second)
    second.evaluate("window.__beforeTheOtherSignedIn = true")
    context.clear_cookies()  # the first tab's person is gone from the browser
    first.goto(live_server)
    sign_in(first, "paedagog@example.org")
    synced(first)
    wait_until(second, "window.__beforeTheOtherSignedIn === undefined", what="a restart")
    synced(second)
    mark = f"Fra den anden fane {uuid.uuid4().hex[:6]}"
    open_demo_meeting(second)
    add_note(second, COLUMNS["working"], mark)
    synced(second)
    open_demo_meeting(first)
    expect(first.get_by_text(mark)).to_be_visible()
    first.reload()
    expect(first.get_by_text(mark)).to_be_visible()
