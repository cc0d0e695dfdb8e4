"""WebKit's copy of the disk search (issue 23 part 2; Chromium's is
tests/browser/test_encrypted_at_rest.py): a marked note and a board photo made through the
screen cannot be found in the profile's files once the browser is closed. WebKit keeps
IndexedDB in SQLite (`IndexedDB.sqlite3`, its WAL beside it) and a Blob in a file of its
own; every file of the profile is searched. A control run with the test-only switch for
plain storage finds both, so the search is shown able to fail."""

from __future__ import annotations

import base64
import uuid
from pathlib import Path

import pytest

from tests.browser.live import DEMO_PASSWORD
from tests.browser.steps import COLUMNS, DEMO_PIN, STORED_BLOBS, TEST_HOOKS, camera_photo
from tests.harness import Gunicorn
from tests.webkit.driver import Tablet

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("webkit")]

PLAIN = "globalThis.__TRIVSEL_PLAIN_STORAGE__ = true;"


def _a_meeting_in_webkit(
    driver_url: str, server: Gunicorn, tmp: Path, *, plain: bool
) -> tuple[Path, str, list[bytes]]:
    """Sign in, choose the PIN, and with the server stopped add a marked note and a board
    photo (kept in the outbox and the photo queue, as at a meeting). Returns the profile, the
    note's marker and pieces of the photo's bytes as the tablet stores them."""
    base = server.start()
    profile = tmp / "profile"
    photo = tmp / "board.jpg"
    camera_photo(photo, seed=233)
    marker = f"SEALCHECK{uuid.uuid4().hex}"
    tablet = Tablet(driver_url, profile, init_script=TEST_HOOKS + (PLAIN if plain else ""))
    try:
        tablet.go(base)
        tablet.type("E-mail", "familie@example.org")
        tablet.type("Adgangskode", DEMO_PASSWORD)
        tablet.click("Log ind")
        tablet.type("Pinkode (6 cifre)", DEMO_PIN)
        tablet.type("Skriv pinkoden igen", DEMO_PIN)
        tablet.click("Brug pinkoden")
        tablet.shows("Alt er sendt")
        tablet.click("Emma Opstartsmøde")
        tablet.shows("Tavlen")
        server.stop()
        tablet.type(f"Ny note i «{COLUMNS['worries']}»", f"Emma {marker}", enter=True)
        tablet.shows(marker)
        tablet.field("Tag billede af tavlen").send_keys(str(photo))
        stored = tablet.until(
            lambda: (
                (found := tablet.wait_js(f"return await ({STORED_BLOBS})()"))
                and isinstance(found, list)
                and found
            ),
            "the photo is stored",
            seconds=60,
        )
        data = base64.b64decode(stored[0]["b64"])
    finally:
        tablet.close()  # the browser ends: what it keeps is on disk
    pieces = [data[at : at + 48] for at in (len(data) // 4, len(data) // 2, 3 * len(data) // 4)]
    return profile, marker, pieces


def _found(profile: Path, marker: str, pieces: list[bytes]) -> tuple[bool, bool]:
    """Whether the note's text, and any piece of the photo, lie in any file of the profile."""
    assert list(profile.rglob("IndexedDB.sqlite3*")), sorted(profile.rglob("*"))
    # WebKit writes a string as it holds it: Latin-1 (8-bit) or UTF-16.
    forms = [marker.encode("latin-1"), marker.encode("utf-16-le")]
    note = photo = False
    for path in profile.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        note = note or any(f in data for f in forms)
        photo = photo or any(p in data for p in pieces)
    return note, photo


def test_a_note_and_a_photo_cannot_be_found_in_the_closed_webkit_profile(
    driver_url: str, server: Gunicorn, tmp_path: Path
) -> None:
    profile, marker, pieces = _a_meeting_in_webkit(driver_url, server, tmp_path, plain=False)
    assert _found(profile, marker, pieces) == (False, False)


def test_the_webkit_search_finds_them_when_the_tablet_stores_them_in_the_clear(
    driver_url: str, server: Gunicorn, tmp_path: Path
) -> None:
    profile, marker, pieces = _a_meeting_in_webkit(driver_url, server, tmp_path, plain=True)
    assert _found(profile, marker, pieces) == (True, True)
