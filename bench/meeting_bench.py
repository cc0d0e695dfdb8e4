"""The meeting at the tablet, sealed at rest and in the clear, in one run (issue 23 part 2):
open a meeting, add a note, sync a meeting. The same built app both times; the clear run is
the test-only switch for plain storage (pwa/src/db/crypt.ts), so the difference is the cost
of sealing and opening rows. Real Chromium against gunicorn on loopback; figures only."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.live import CHROMIUM, CHROMIUM_ARGS
from tests.browser.steps import TEST_HOOKS, sign_in
from tests.harness import gunicorn, migrated_app, migrated_database_url, settings

PASSWORD = "bench-password"
PLAIN = "globalThis.__TRIVSEL_PLAIN_STORAGE__ = true;"
MEETING = "Emma Opstartsmøde"
ROUNDS = {"open": 9, "note": 15, "sync": 6, "notes_per_sync": 20}
# Each mode twice, in the order clear, sealed, sealed, clear: a machine whose load drifts
# during the run (a shared one) weighs on both alike.
ORDER = ("clear", "sealed", "sealed", "clear")


def main() -> dict[str, dict[str, float]]:
    samples: dict[str, dict[str, list[float]]] = {mode: {} for mode in ORDER}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # Each run on a server and database of its own: the meeting grows the same way.
            for mode in ORDER:
                with tempfile.TemporaryDirectory(prefix=f"trivsel-meeting-{mode}-") as tmp:
                    env = settings(Path(tmp), migrated_database_url(Path(tmp), "meeting"))
                    migrated_app(env, demo_password=PASSWORD)
                    with gunicorn(env) as base:
                        for key, times in _meeting(browser, base, plain=mode == "clear").items():
                            samples[mode].setdefault(key, []).extend(times)
        finally:
            browser.close()
    figures = {
        mode: {key: statistics.median(times) * 1000 for key, times in by_key.items()}
        for mode, by_key in samples.items()
    }
    _print(figures)
    return figures


def _meeting(browser: Browser, base: str, *, plain: bool) -> dict[str, list[float]]:
    """Seconds each time: opening the meeting, adding a note, sending a round of notes."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    context.add_init_script(TEST_HOOKS + (PLAIN if plain else ""))
    page = context.new_page()
    page.goto(base)
    sign_in(page, "paedagog@example.org", PASSWORD)
    page.get_by_role("status").filter(has_text="Alt er sendt").wait_for()
    _open(page)

    # Add a note: typed, Enter, shown (offline: the tablet's own work, no network in it).
    context.set_offline(True)
    note_times = []
    for n in range(ROUNDS["note"]):
        note_times.append(_add_note(page, f"Note {n} om det vi så i dag"))

    # Sync a meeting: notes made offline, then "Send nu" until all is sent.
    sync_times = []
    for r in range(ROUNDS["sync"]):
        context.set_offline(True)
        for n in range(ROUNDS["notes_per_sync"]):
            _add_note(page, f"Runde {r} note {n}")
        context.set_offline(False)
        started = time.perf_counter()
        page.get_by_role("button", name="Send nu").click()
        page.get_by_role("status").filter(has_text="Alt er sendt").wait_for(timeout=120_000)
        sync_times.append(time.perf_counter() - started)

    # Open a meeting: from the list to its board with every note shown (about 80 by now).
    last = f"Runde {ROUNDS['sync'] - 1} note {ROUNDS['notes_per_sync'] - 1}"
    open_times = []
    for _ in range(ROUNDS["open"]):
        page.go_back()
        page.get_by_role("button", name=MEETING, exact=False).wait_for()
        started = time.perf_counter()
        _open(page, last)
        open_times.append(time.perf_counter() - started)
    context.close()
    return {"open_ms": open_times, "note_ms": note_times, "sync_ms": sync_times}


def _open(page: Page, last_note: str | None = None) -> None:
    page.get_by_role("button", name=MEETING, exact=False).click()
    page.get_by_role("heading", name="Tavlen", exact=True).wait_for()
    if last_note:
        page.get_by_text(last_note, exact=True).wait_for()


def _add_note(page: Page, text: str) -> float:
    field = page.get_by_label("Ny note i «Det der bekymrer»")
    field.fill(text)
    started = time.perf_counter()
    field.press("Enter")
    page.get_by_text(text, exact=True).wait_for()
    return time.perf_counter() - started


def _print(figures: dict[str, dict[str, float]]) -> None:
    print("\n== the meeting at the tablet: in the clear and sealed at rest (Chromium) ==")
    print(f"  {'':<34} {'clear':>10} {'sealed':>10} {'change':>8}")
    for label, key in (
        ("open a meeting (median)", "open_ms"),
        ("add a note (median)", "note_ms"),
        (f"sync a meeting, {ROUNDS['notes_per_sync']} notes (median)", "sync_ms"),
    ):
        clear, sealed = figures["clear"][key], figures["sealed"][key]
        change = (sealed - clear) / clear * 100
        print(f"  {label:<34} {clear:>8.1f}ms {sealed:>8.1f}ms {change:>+7.1f}%   aim <= +20 %")
