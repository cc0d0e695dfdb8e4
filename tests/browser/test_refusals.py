"""Nothing lost at the table (issue 11): the scenario that lost a note, played again.

A 5,000-character note is refused at once, on the tablet, offline, naming the limit, with
the text kept in the field and a live count; shortened, it is queued, survives a reload and
arrives on the server. A change only the server can refuse (the psychologist's access to the
course ends while they write offline) stays visible with its reason where it was made; a
link in the status bar leads there, also after a reload; discarding it can be undone and its
text copied; and signing out warns with exactly the status bar's counts.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.live import api_session
from tests.browser.steps import (
    COLUMNS,
    notes_on_server,
    open_demo_meeting,
    sign_in,
    synced,
    wait_until_installed,
)

DASH = "\u2013"  # the en dash of the Danish texts
REFUSED_AT_ONCE = f"Højst 2.000 tegn {DASH} du har skrevet 5.000."
REFUSED_BY_SERVER = "Serveren tog ikke imod din ændring af en note"


def test_a_note_over_the_limit_is_refused_at_once_and_its_text_is_kept(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    wait_until_installed(page)
    context.set_offline(True)
    page.reload()
    open_demo_meeting(page)
    field = page.get_by_label(f"Ny note i «{COLUMNS['worries']}»")
    long_text = f"{tag} " + "Emma græder ved aflevering og vil ikke slippe mor. " * 100
    long_text = long_text[:4999] + "."
    field.fill(long_text)
    expect(page.get_by_text("5.000 / 2.000 tegn")).to_be_visible()  # the live count
    expect(page.get_by_text(REFUSED_AT_ONCE)).to_be_visible()  # said while typing
    field.press("Enter")
    expect(page.get_by_role("alert").filter(has_text=REFUSED_AT_ONCE)).to_be_visible()
    assert field.input_value() == long_text  # the text stays where it was written
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".note-text", has_text=tag)).to_have_count(0)  # nothing queued
    expect(page.locator(".status[role=status]")).to_contain_text(f"Offline {DASH} alt er sendt")

    shortened = long_text[:1512]
    field.fill(shortened)
    expect(page.get_by_text(REFUSED_AT_ONCE)).to_have_count(0)
    field.press("Enter")
    note = page.locator(".note", has_text=tag)
    expect(note).to_contain_text("Ikke sendt endnu")
    expect(field).to_have_value("")
    status = page.locator(".status[role=status]")
    expect(status).to_contain_text(f"Offline {DASH} 1 ændring venter")
    place = status.get_by_role("link", name=re.compile(f"1 venter {DASH} Emma, opstartsmøde"))
    expect(place).to_be_visible()
    page.reload()  # still offline: the note is on the device
    expect(page.locator(".note", has_text=tag)).to_contain_text("Ikke sendt endnu")
    context.set_offline(False)
    page.get_by_role("button", name="Send nu").click()
    synced(page)
    assert shortened.strip() in notes_on_server(live_server)


def test_a_refusal_only_the_server_knows_stays_visible_is_linked_and_can_be_undone(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    leader = api_session(live_server, "familie@example.org")
    course = leader.get(f"{live_server}/api/courses", timeout=30).json()[0]
    ppr_id = _user_id(live_server, "ppr@example.org")
    members = f"{live_server}/api/courses/{course['id']}/members"
    assert leader.post(members, json={"user_id": ppr_id}, timeout=30).status_code == 201
    ctx = browser.new_context(locale="da-DK", viewport={"width": 1024, "height": 768})
    ctx.set_default_timeout(15_000)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    try:
        page.goto(live_server)
        sign_in(page, "ppr@example.org")
        synced(page)
        open_demo_meeting(page)
        ctx.set_offline(True)
        text = f"PPR: Emma har brug for ro ved overgange {tag}"
        field = page.get_by_label(f"Ny note i «{COLUMNS['next_steps']}»")
        field.fill(text)
        field.press("Enter")
        expect(page.locator(".note", has_text=tag)).to_contain_text("Ikke sendt endnu")
        # Meanwhile the leader takes PPR off the course: the server will refuse the note.
        assert leader.delete(f"{members}/{ppr_id}", timeout=30).status_code == 204
        ctx.set_offline(False)
        page.get_by_role("button", name="Send nu").click()
        refusal = page.get_by_role("alert").filter(has_text=REFUSED_BY_SERVER)
        expect(refusal).to_contain_text("du har ikke adgang")
        expect(refusal).to_contain_text(text)  # the words are still on the screen
        status = page.locator(".status[role=status]")
        expect(status).to_contain_text("Alt andet er sendt")

        _sign_out_warning_says(page, "1 ændring blev afvist", not_="ikke sendt endnu")

        page.goto(live_server)  # elsewhere, and a reload: the status bar still leads there
        link = page.locator(".status[role=status]").get_by_role("link", name=re.compile("1 afvist"))
        link.click()
        refusal = page.get_by_role("alert").filter(has_text=REFUSED_BY_SERVER)
        expect(refusal).to_be_visible()
        expect(refusal).to_be_in_viewport()
        gone = page.get_by_role("heading", name="Mødet er ikke længere på denne enhed")
        expect(gone).to_be_visible()

        refusal.get_by_role("button", name="Kassér ændringen").click()
        discarded = page.get_by_role("alert").filter(has_text="Din ændring af en note er kasseret")
        expect(discarded).to_contain_text(text)
        discarded.get_by_role("button", name="Kopiér teksten").click()
        expect(discarded.get_by_text("Teksten er kopieret.")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == text
        expect(page.locator(".status[role=status]").get_by_role("link")).to_have_count(0)
        discarded.get_by_role("button", name="Fortryd").click()  # undo: refused again
        expect(page.get_by_role("alert").filter(has_text=REFUSED_BY_SERVER)).to_contain_text(text)
        expect(
            page.locator(".status[role=status]").get_by_role("link", name=re.compile("1 afvist"))
        ).to_be_visible()
    finally:
        ctx.close()
    assert text not in notes_on_server(live_server)  # refused, so not on the server


def _user_id(base: str, email: str) -> str:
    admin = api_session(base, "admin@example.org")
    users = admin.get(f"{base}/api/users", timeout=30).json()
    return str(next(u["id"] for u in users if u["email"] == email))


def _sign_out_warning_says(page: Page, expected: str, not_: str) -> None:
    """Sign-out warns with the status bar's counts; dismissed, nothing happens."""
    messages: list[str] = []

    def dismiss(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Logget ind som")).to_be_visible()
    assert len(messages) == 1 and expected in messages[0] and not_ not in messages[0], messages
