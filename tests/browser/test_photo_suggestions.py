"""The board photo becomes the notes (issue 25, part 1): after a generated board photo has
reached the server, the tablet offers the notes found in it per column, marked "forslag";
two accepted become ordinary notes in their columns and reach the server, "Afvis" adds
nothing. Offline, the panel says the suggestions come when the photo is on the server."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, expect

from bench.legibility_board import board_photo
from tests.browser.report_world import ok
from tests.browser.steps import eventually, photo_kept, synced
from tests.browser.tablet import LANDSCAPE, course_on_tablet, ipad

WRITTEN = "Skrevet af lederen"  # what the leader writes under a crop that was not read


def server_notes(base: str, world: dict[str, Any]) -> list[tuple[str, str]]:
    url = f"{base}/api/meetings/{world['meeting']['id']}/notes"
    return sorted((n["column"], n["text"]) for n in ok(world["api"].get(url, timeout=30)))


def accept_first(panel: Locator, column: str) -> str:
    """Tap in the first suggestion of a column (written first when it was not read)."""
    item = panel.locator(f".suggestion-column[data-column={column}] .suggestion").first
    expect(item).to_contain_text("forslag")
    field = item.locator("textarea")
    text = field.input_value().strip()
    if not text:
        field.fill(WRITTEN)
        text = WRITTEN
    item.get_by_role("button", name="Tilføj").click()
    return text


def test_suggested_notes_are_accepted_one_tap_each_and_the_rest_rejected(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    with ipad(browser, LANDSCAPE) as ctx:
        page = ctx.new_page()
        world = course_on_tablet(page, live_server, f"Sug{uuid.uuid4().hex[:5]}")
        before = server_notes(live_server, world)
        camera = tmp_path / "board.jpg"
        camera.write_bytes(board_photo(21).jpeg)  # a 12-MP camera photo of a generated board
        ctx.set_offline(True)
        page.get_by_label("Tag billede af tavlen").set_input_files(camera)
        photo_kept(page, 1)
        page.get_by_role("button", name="Forslag fra billede 1").click()
        panel = page.locator(".suggestions")
        expect(panel).to_contain_text("Forslagene kommer, når billedet er nået frem til serveren")

        ctx.set_offline(False)
        page.get_by_role("button", name="Send nu").click()
        synced(page)
        page.get_by_role("button", name="Forslag fra billede 1").click()
        # The server finds and reads the notes on demand: seconds, more on a loaded machine.
        expect(panel.locator(".suggestion").first).to_be_visible(timeout=120_000)
        for column in ("worries", "working", "next_steps"):
            in_column = panel.locator(f".suggestion-column[data-column={column}] .suggestion")
            expect(in_column).not_to_have_count(0)
        offered = panel.locator(".suggestion").count()
        assert server_notes(live_server, world) == before  # nothing added without a tap

        worry = accept_first(panel, "worries")
        goal = accept_first(panel, "next_steps")
        expect(panel.locator(".suggestion")).to_have_count(offered - 2)
        expect(page.locator(".column-worries .note", has_text=worry)).to_be_visible()
        expect(page.locator(".column-next_steps .note", has_text=goal)).to_be_visible()

        page.get_by_role("button", name="Afvis").click()
        expect(panel).to_have_count(0)
        synced(page)
        added = sorted([("worries", worry), ("next_steps", goal)])
        eventually(lambda: server_notes(live_server, world) == sorted(before + added))
        # Ordinary notes: the board holds exactly those two more, nothing from the rejected.
        expect(page.locator(".column .note")).to_have_count(len(before) + 2)
