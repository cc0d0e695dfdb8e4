"""The board at the meeting table, offline: captured, kept across reloads, sent once online."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import create_engine, text

from tests.browser.conftest import LIVE_ENV, api_session, sign_in, wait_until_installed

COLUMNS = {"worries": "Det der bekymrer", "working": "Det der fungerer",
           "next_steps": "Det vi vil se ske"}


def add_note(page: Page, column_title: str, note: str) -> None:
    field = page.get_by_label(f"Ny note i «{column_title}»")
    field.fill(note)
    field.press("Enter")
    expect(page.get_by_text(note)).to_be_visible()


def synced(page: Page) -> None:
    expect(page.get_by_role("status")).to_contain_text("Alt er sendt", timeout=20_000)


def open_demo_meeting(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Emma")).click()
    expect(page.get_by_role("heading", name="Tavlen")).to_be_visible()


def notes_on_server(base: str, email: str = "familie@example.org") -> list[str]:
    api = api_session(base, email)
    meeting = next(c for c in api.get(f"{base}/api/courses", timeout=30).json())
    meetings = api.get(f"{base}/api/courses/{meeting['id']}/meetings", timeout=30).json()
    notes = api.get(f"{base}/api/meetings/{meetings[0]['id']}/notes", timeout=30).json()
    return [n["text"] for n in notes]


def test_a_board_captured_offline_survives_reloads_and_arrives_once(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    wait_until_installed(page)
    context.set_offline(True)
    page.reload()  # the app starts from the cache, the data from the device
    expect(page.get_by_role("button", name=re.compile("Emma"))).to_contain_text("møde 1 af 5")
    open_demo_meeting(page)
    texts = {column: f"{title} {tag}" for column, title in COLUMNS.items()}
    for column, title in COLUMNS.items():
        add_note(page, title, texts[column])
    expect(page.get_by_role("status")).to_contain_text("Offline – 3 ændringer venter")  # noqa: RUF001
    page.reload()
    for note in texts.values():
        expect(page.get_by_text(note)).to_be_visible()
    expect(page.get_by_text("Ikke sendt endnu")).to_have_count(3)
    context.set_offline(False)
    page.get_by_role("button", name="Send nu").click()
    synced(page)
    expect(page.get_by_text("Ikke sendt endnu")).to_have_count(0)
    on_server = notes_on_server(live_server)
    for note in texts.values():
        assert on_server.count(note) == 1, on_server


def test_two_tablets_edit_one_note_offline_and_the_loser_can_restore(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    tablets = []
    for email in ("familie@example.org", "paedagog@example.org"):
        ctx = browser.new_context(viewport={"width": 1024, "height": 768})
        ctx.set_default_timeout(15_000)
        page = ctx.new_page()
        page.goto(live_server)
        sign_in(page, email)
        synced(page)
        open_demo_meeting(page)
        tablets.append((ctx, page))
    (ctx_a, a), (ctx_b, b) = tablets
    add_note(a, COLUMNS["working"], f"Original {tag}")
    synced(a)
    b.get_by_role("button", name="Send nu").click()
    expect(b.get_by_text(f"Original {tag}")).to_be_visible()
    ctx_a.set_offline(True)
    ctx_b.set_offline(True)
    for page, version in ((a, f"Fra familieindgangen {tag}"), (b, f"Fra pædagogen {tag}")):
        page.locator(".note", has_text=f"Original {tag}").get_by_role("button", name="Ret").click()
        page.get_by_role("textbox", name="Ret").fill(version)  # the one note being edited
        page.get_by_role("button", name="Gem").click()
        expect(page.get_by_text(version)).to_be_visible()
    ctx_a.set_offline(False)
    a.get_by_role("button", name="Send nu").click()
    synced(a)
    ctx_b.set_offline(False)
    b.get_by_role("button", name="Send nu").click()
    synced(b)  # b edited last: b's text wins
    a.get_by_role("button", name="Send nu").click()
    synced(a)
    conflict = a.get_by_role("alert").filter(has_text="blev samtidig ændret")
    expect(conflict).to_contain_text(f"Fra familieindgangen {tag}")
    expect(conflict).to_contain_text(f"Fra pædagogen {tag}")
    conflict.get_by_role("button", name="Gendan min tekst").click()
    synced(a)
    expect(a.get_by_text(f"Fra familieindgangen {tag}")).to_be_visible()
    expect(a.get_by_role("alert").filter(has_text="blev samtidig ændret")).to_have_count(0)
    assert f"Fra familieindgangen {tag}" in notes_on_server(live_server)
    for ctx, _ in tablets:
        ctx.close()


def test_an_expired_session_keeps_the_queue_until_signing_in_again(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    note = f"Efter nyt login {uuid.uuid4().hex[:6]}"
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    open_demo_meeting(page)
    context.set_offline(True)
    add_note(page, COLUMNS["next_steps"], note)
    _expire_all_sessions()
    context.set_offline(False)  # the app notices the network and sends by itself
    status = page.get_by_role("status")
    expect(status).to_contain_text("Log ind igen for at sende 1 ændring")
    expect(page.get_by_text(note)).to_be_visible()
    status.get_by_role("button", name="Log ind").click()
    sign_in(page, "familie@example.org")
    synced(page)
    assert notes_on_server(live_server).count(note) == 1


def _expire_all_sessions() -> None:
    """What a long offline meeting does to a sign-in: the server no longer knows it."""
    url = LIVE_ENV["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE auth_session SET revoked_at = CURRENT_TIMESTAMP"))
    engine.dispose()
