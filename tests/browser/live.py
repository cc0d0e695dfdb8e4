"""The app the browser tests drive, and the Chromium that drives it: Debian's package
(Playwright's own download does not work on this machine)."""

from __future__ import annotations

import shutil
from pathlib import Path

import requests

from tests import harness
from tests.harness import ROOT

DEMO_PASSWORD = "browser-demo-password"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

LIVE_ENV: dict[str, str] = {}  # the live server's settings, for tests that reach behind it


def copy_of_dist(tmp: Path) -> Path:
    """Serve a copy, so a rebuild by another test cannot change files under a running browser."""
    return Path(shutil.copytree(ROOT / "pwa" / "dist", tmp / "dist"))


def api_session(base: str, email: str) -> requests.Session:
    """A plain HTTP client signed in as a demo user, to check what the server holds."""
    return harness.sign_in(base, email, DEMO_PASSWORD)
