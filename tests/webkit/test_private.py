"""Private browsing in WebKit (issue 23 part 1): IndexedDB opens but refuses a photo's Blob
("Error preparing Blob/File data to be stored in object store"), as Safari's Private Browsing
does. The app says at start that it cannot keep data here and what to do, and a photo that
cannot be stored is never called a photo that could not be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.live import DEMO_PASSWORD
from tests.browser.steps import camera_photo
from tests.harness import Gunicorn
from tests.webkit.driver import Tablet

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("webkit")]

CANNOT_KEEP = "Denne browser kan ikke gemme billeder og noter på tabletten"


def test_a_private_window_is_told_and_a_photo_is_not_called_unreadable(
    driver_url: str, server: Gunicorn, tmp_path: Path
) -> None:
    base = server.start()
    photo = tmp_path / "board.jpg"
    camera_photo(photo)
    tablet = Tablet(driver_url, profile=None)  # a private session
    try:
        tablet.go(base)
        tablet.shows(CANNOT_KEEP)  # before signing in, before anything is typed
        assert "almindelig tilstand" in tablet.text()
        assert "hjemmeskærmen" in tablet.text()
        tablet.type("E-mail", "familie@example.org")
        tablet.type("Adgangskode", DEMO_PASSWORD)
        tablet.click("Log ind")
        tablet.click("Emma Opstartsmøde")
        tablet.shows("Tavlen")
        tablet.field("Tag billede af tavlen").send_keys(str(photo))
        # Sealed, a photo is bytes inside an encrypted row, not a Blob, so a private window
        # keeps it for as long as the window lives (the start's notice says it goes then);
        # a store that failed would say so ("kunne ikke gemmes"), never "kunne ikke læses".
        tablet.until(
            lambda: (
                tablet.js(
                    "return document.querySelectorAll('img[alt=\"Billede af tavlen\"]').length"
                )
                or "Billedet kunne ikke gemmes på tabletten" in tablet.text()
            ),
            "the photo is kept, or its store is said to have failed",
            seconds=60,
        )
        assert "Billedet kunne ikke læses" not in tablet.text()
    finally:
        tablet.close()
