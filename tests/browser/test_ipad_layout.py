"""The meeting screen on an iPad, portrait (820 x 1180) and landscape (1180 x 820), with touch:
measured in the browser, not eyeballed. Every interactive element is a target of at least
44 x 44 CSS px, no button sticks out of its note card (or any card, column or dialog), the
page never scrolls sideways, placeholders are shown whole, and the note editor is large
enough to write in and grows with the text. axe-core finds nothing serious in any state
(dialogs and the undo bar included)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.report_world import fill_and_publish
from tests.browser.steps import serious_violations, synced
from tests.browser.tablet import (
    LANDSCAPE,
    PORTRAIT,
    add_note,
    course_on_tablet,
    ipad,
    layout_problems,
    note,
)

LONG = (
    "Emma græder ofte ved aflevering om morgenen og vil ikke slippe sin mor; "
    "hun siger selv, at hun er bange for, at ingen henter hende. Antidisestablishmentarianism"
)


def check(page: Page, where: str, shots: Path) -> None:
    problems = layout_problems(page) + [f"axe: {v}" for v in serious_violations(page)]
    if problems:
        page.screenshot(path=str(shots / f"{where}.png"), full_page=True)
    assert problems == [], f"{where}: {problems} (screenshot in {shots})"


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_the_meeting_screen_fits_an_ipad_and_every_target_takes_a_finger(
    browser: Browser, live_server: str, viewport: ViewportSize, tmp_path: Path
) -> None:
    name = f"Lay{uuid.uuid4().hex[:5]}"
    with ipad(browser, viewport) as ctx:
        page = ctx.new_page()
        world = course_on_tablet(page, live_server, name)
        for title in ("Det der bekymrer", "Det der fungerer", "Det vi vil se ske"):
            add_note(page, title, f"Kort {title}")
        add_note(page, "Det der bekymrer", LONG)
        page.get_by_label("Hvad").fill("Mor ringer til PPR og aftaler en samtale inden jul")
        page.get_by_role("button", name="Tilføj aftale").click()
        expect(page.get_by_text("Mor ringer til PPR")).to_be_visible()
        check(page, "planned", tmp_path)
        # The editor: several lines high, as wide as the card allows, and it grows.
        note(page, "Kort Det der bekymrer").get_by_role("button", name="Ret").click()
        editor = page.get_by_role("textbox", name="Ret")
        box = editor.bounding_box()
        assert box and box["height"] >= 110 and box["width"] >= 180, box
        check(page, "editing", tmp_path)
        editor.fill("\n".join(f"Linje {n}" for n in range(12)))
        grown = editor.bounding_box()
        line = editor.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
        assert grown and grown["height"] >= 12 * line, (box, grown, line)
        assert editor.evaluate("el => el.scrollHeight <= el.clientHeight + 1")  # no inner scrolling
        page.get_by_role("button", name="Fortryd").click()
        card = note(page, LONG)
        # The move dialog, and the undo bar.
        card.get_by_role("button", name="Flyt til …").click()
        expect(page.get_by_role("dialog", name="Flyt noten")).to_be_visible()
        check(page, "move-dialog", tmp_path)
        page.get_by_role("dialog").get_by_role("button", name="Annullér").click()
        note(page, "Kort Det der fungerer").get_by_role("button", name="Slet").click()
        expect(page.locator(".undo-bar")).to_contain_text("Noten er slettet")
        check(page, "undo-bar", tmp_path)
        # After the meeting: the report panel, publishing and filing, with their dialogs.
        fill_and_publish(live_server, world, "layout")
        page.get_by_role("button", name="Send nu").click()
        synced(page)
        expect(page.get_by_role("button", name="Journalisér i sagssystemet")).to_be_visible()
        check(page, "finished", tmp_path)
        page.get_by_role("button", name="Udgiv en rettet rapport").click()
        expect(page.get_by_role("dialog")).to_be_visible()
        check(page, "publish-dialog", tmp_path)
