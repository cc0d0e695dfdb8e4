"""Nothing typed is lost (issue 23 part 4): a note typed but not added, an agreement being
written and the minutes are kept as drafts on the device ("Gemt" says so) and come back
after a reload, after a crash of the tab, and offline."""

from __future__ import annotations

import uuid

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.steps import synced, wait_until_installed
from tests.browser.tablet import course_on_tablet

NOTE = "Ny note i «Det der bekymrer»"


def open_meeting(page: Page, name: str) -> None:
    page.get_by_role("button", name=f"{name} Opstartsmøde").click()
    expect(page.get_by_role("heading", name="Tavlen", exact=True)).to_be_visible()


def kept(page: Page, field_id: str) -> None:
    """The field says "Gemt": its draft is on the device."""
    expect(page.locator(f"#{field_id}-kept")).to_have_text("Gemt")


def type_everything(page: Page, tag: str) -> dict[str, str]:
    typed = {
        "note": f"Halvt skrevet note {tag}",
        "what": f"Halvt skrevet aftale {tag}",
        "minutes": f"Referat i gang {tag}",
    }
    page.get_by_label(NOTE).fill(typed["note"])
    page.get_by_label("Hvad").fill(typed["what"])
    page.get_by_label("Hvem").select_option("institution")
    page.get_by_label("Referat (valgfrit)").fill(typed["minutes"])  # not left: not saved
    for field_id in ("new-worries", "agreement-what", "minutes"):
        kept(page, field_id)
    return typed


def still_there(page: Page, typed: dict[str, str]) -> None:
    expect(page.get_by_label(NOTE)).to_have_value(typed["note"])
    expect(page.get_by_label("Hvad")).to_have_value(typed["what"])
    expect(page.get_by_label("Hvem")).to_have_value("institution")
    expect(page.get_by_label("Referat (valgfrit)")).to_have_value(typed["minutes"])
    kept(page, "new-worries")


def test_typed_text_survives_a_reload_a_crash_and_going_offline(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"Kladde{tag}"
    world = course_on_tablet(page, live_server, name)  # a course of its own, its meeting open
    wait_until_installed(page)
    typed = type_everything(page, tag)

    page.reload()
    still_there(page, typed)

    # The tab goes without warning (closed without its beforeunload; "Gemt" said the drafts
    # were on the device before). Chromium's Page.crash leaves Playwright's send waiting for
    # an answer that never comes, and chrome://crash is refused to a page.
    page.close(run_before_unload=False)
    page = context.new_page()
    page.goto(page_url := f"{live_server}/")
    open_meeting(page, name)
    still_there(page, typed)

    context.set_offline(True)
    page.goto(page_url)  # the app from the worker, the drafts from the device
    open_meeting(page, name)
    still_there(page, typed)
    more = f"{typed['note']} og mere uden net"
    page.get_by_label(NOTE).fill(more)
    kept(page, "new-worries")
    page.reload()
    expect(page.get_by_label(NOTE)).to_have_value(more)

    # Added: the field is empty again, and its draft is gone (a reload does not bring it back).
    page.get_by_label(NOTE).press("Enter")
    expect(page.locator(".note-text", has_text=more)).to_be_visible()
    expect(page.get_by_label(NOTE)).to_have_value("")
    page.reload()
    expect(page.locator(".note-text", has_text=more)).to_be_visible()
    expect(page.get_by_label(NOTE)).to_have_value("")
    expect(page.locator("#new-worries-kept")).to_have_count(0)
    context.set_offline(False)
    page.get_by_role("button", name="Send nu").click()
    synced(page)
    notes = world["api"].get(f"{live_server}/api/meetings/{world['meeting']['id']}/notes")
    assert more in [n["text"] for n in notes.json()]


def test_a_saved_agreement_leaves_no_draft_behind(page: Page, live_server: str) -> None:
    tag = uuid.uuid4().hex[:6]
    course_on_tablet(page, live_server, f"Aftale{tag}")
    page.get_by_label("Hvad").fill(f"Aftalt {tag}")
    kept(page, "agreement-what")
    page.get_by_role("button", name="Tilføj aftale").click()
    expect(page.get_by_text(f"Aftalt {tag}")).to_be_visible()
    expect(page.get_by_label("Hvad")).to_have_value("")
    page.reload()
    expect(page.get_by_text(f"Aftalt {tag}")).to_be_visible()
    expect(page.get_by_label("Hvad")).to_have_value("")
