"""What the tablet stores about a child is sealed on disk (issue 23 part 2, docs/security.md):
a note and a board photo made through the screen cannot be found in the browser profile's
files once the browser is closed, and a copy of the profile opened without the server and
without the PIN shows no child's data. A control run with the test-only switch for plain
storage finds both, so the search is shown able to fail."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.leveldb import readable
from tests.browser.live import CHROMIUM, CHROMIUM_ARGS
from tests.browser.report_world import new_course
from tests.browser.steps import (
    COLUMNS,
    TEST_HOOKS,
    add_note,
    answer_pin_prompts,
    camera_photo,
    sign_in,
    stored,
    synced,
    take_photo,
    wait_until_installed,
)

PLAIN = "globalThis.__TRIVSEL_PLAIN_STORAGE__ = true;"
CHILD = "Sigrid"


def _tablet(
    browser: Browser, profile: Path, *, plain: bool = False, offline: bool = False
) -> BrowserContext:
    """A browser with its profile on disk (the test contexts live in memory)."""
    ctx = browser.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        locale="da-DK",
        viewport={"width": 1024, "height": 768},
        offline=offline,
    )
    ctx.set_default_timeout(15_000)
    ctx.add_init_script(TEST_HOOKS + (PLAIN if plain else ""))
    return ctx


def _a_meeting_on_the_tablet(
    ctx: BrowserContext, base: str, tmp: Path, seed: int
) -> tuple[str, list[bytes]]:
    """Sign in, choose the PIN, and offline add a marked note and a board photo on a course of
    the test's own (the demo meeting's photos are counted by other tests). Returns the note's
    text and pieces of the photo's bytes as the tablet stores them."""
    new_course(base, CHILD)
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    answer_pin_prompts(page)
    page.goto(base)
    sign_in(page, "familie@example.org")
    synced(page)
    wait_until_installed(page)
    page.get_by_role("button", name=f"{CHILD} Opstartsmøde").first.click()
    expect(page.get_by_role("heading", name="Tavlen", exact=True)).to_be_visible()
    ctx.set_offline(True)  # kept in the outbox and the photo queue, as at a meeting
    marker = f"SEALCHECK{uuid.uuid4().hex}"
    add_note(page, COLUMNS["worries"], f"{CHILD} {marker}")
    camera_photo(tmp / "board.jpg", seed=seed)
    take_photo(page, tmp / "board.jpg", 1)
    [photo] = stored(page)
    data = photo["bytes"]
    pieces = [data[at : at + 48] for at in (len(data) // 4, len(data) // 2, 3 * len(data) // 4)]
    return marker, pieces


def _found(profile: Path, marker: str, pieces: list[bytes]) -> tuple[bool, bool]:
    """Whether the note's text, and any piece of the photo, lie in the profile's IndexedDB files."""
    folder = profile / "Default" / "IndexedDB"
    assert folder.is_dir(), list(profile.rglob("*IndexedDB*"))
    # V8 writes a string as it holds it: one byte a character, or UTF-16 (text from an input).
    forms = [marker.encode("latin-1"), marker.encode("utf-16-le")]
    note = photo = False
    for _path, data in readable(folder):
        note = note or any(f in data for f in forms)
        photo = photo or any(p in data for p in pieces)
    return note, photo


@pytest.fixture
def sealed_profile(
    browser: Browser, live_server: str, tmp_path: Path
) -> Iterator[tuple[Path, str, list[bytes]]]:
    profile = tmp_path / "profile"
    ctx = _tablet(browser, profile)
    marker, pieces = _a_meeting_on_the_tablet(ctx, live_server, tmp_path, seed=231)
    ctx.close()
    yield profile, marker, pieces


def test_a_note_and_a_photo_cannot_be_found_in_the_closed_profile(
    sealed_profile: tuple[Path, str, list[bytes]],
) -> None:
    profile, marker, pieces = sealed_profile
    assert _found(profile, marker, pieces) == (False, False)


def test_the_search_finds_them_when_the_tablet_stores_them_in_the_clear(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    profile = tmp_path / "plain"
    ctx = _tablet(browser, profile, plain=True)
    marker, pieces = _a_meeting_on_the_tablet(ctx, live_server, tmp_path, seed=232)
    ctx.close()
    assert _found(profile, marker, pieces) == (True, True)


def test_a_copy_of_the_profile_without_the_server_or_the_pin_shows_no_child(
    browser: Browser,
    sealed_profile: tuple[Path, str, list[bytes]],
    live_server: str,
    tmp_path: Path,
) -> None:
    profile, marker, _ = sealed_profile
    copy = Path(shutil.copytree(profile, tmp_path / "copy"))
    ctx = _tablet(browser, copy, offline=True)  # the server cannot be reached
    page: Page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.goto(live_server)  # the app itself comes from the service worker's cache
    expect(page.get_by_role("heading", name="Lås appen op")).to_be_visible()
    for tried in range(1, 6):  # guessing: a few wrong PINs, then the PIN opens nothing any more
        page.get_by_label("Pinkode", exact=True).fill("000000")
        page.get_by_role("button", name="Lås op").click()
        if tried < 5:
            expect(page.get_by_role("alert")).to_contain_text(f"{5 - tried} forsøg tilbage")
    expect(page.get_by_role("alert")).to_contain_text("For mange forkerte pinkoder")
    expect(page.get_by_label("Pinkode", exact=True)).to_have_count(0)
    text = page.locator("body").inner_text()
    assert marker not in text and CHILD not in text and "Opstartsmøde" not in text
    assert page.locator("img").count() == 0
    ctx.close()
