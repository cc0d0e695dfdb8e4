"""What the browser tests do in the page: sign in, wait for the app (polling through
DevTools), hold a meeting, take photos, and check accessibility.

Shared by the browser test modules (which never import each other)."""

from __future__ import annotations

import base64
import io
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFilter
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests import harness
from tests.browser.live import DEMO_PASSWORD, api_session
from tests.harness import ROOT

# The PIN every test tablet chooses after signing in (the app asks; docs/security.md).
DEMO_PIN = "246810"
# Test-only: the app puts a reader of its stored photos here (pwa/src/main.tsx): on disk the
# photos are sealed, so the tests read them through the app.
TEST_HOOKS = "globalThis.__TRIVSEL_TEST_HOOKS__ = {};"


def answer_pin_prompts(page: Page) -> None:
    """The tablet asks for a PIN after signing in, and for the PIN when it starts offline:
    answered whenever either is on the screen before the test's next action or assertion
    (Playwright's locator handlers), so every walk reloads offline as a leader would."""
    choose = page.get_by_label(re.compile(r"^Pinkode \(\d cifre\)$"))

    def chose(_: Any) -> None:
        choose.fill(DEMO_PIN)
        page.get_by_label("Skriv pinkoden igen").fill(DEMO_PIN)
        page.get_by_role("button", name="Brug pinkoden").click()

    unlock = page.get_by_label("Pinkode", exact=True)

    def unlocked(_: Any) -> None:
        unlock.fill(DEMO_PIN)
        page.get_by_role("button", name="Lås op").click()

    page.add_locator_handler(choose, chose)
    page.add_locator_handler(unlock, unlocked)


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def wait_until(
    page: Page, condition: str, arg: object = None, timeout: float = 20, what: str = ""
) -> None:
    """Poll ``condition`` (a JS expression or function, which may be async) until it is true.

    Not ``page.wait_for_function``: that does not await a promise, and a promise is truthy,
    so an async condition passed at once (``synced`` returned before the tablet had sent);
    and when its first check fails it re-checks by eval() inside the page, which the app's
    Content-Security-Policy refuses (no 'unsafe-eval'), so it failed whenever it had to wait.
    ``page.evaluate`` comes through DevTools, which CSP does not govern.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition, arg):
        if time.monotonic() > deadline:
            pytest.fail(f"not true after {timeout} s: {what or condition}")
        page.wait_for_timeout(100)


# Settles at once (unlike serviceWorker.ready, which waits forever if installing fails).


ACTIVE_WORKER = "async () => (await navigator.serviceWorker.getRegistration())?.active != null"


def wait_until_installed(page: Page) -> None:
    """The service worker controls the page, so the app will start without a network."""
    wait_until(page, ACTIVE_WORKER, what="the service worker is active")
    if page.evaluate("navigator.serviceWorker.controller === null"):
        page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null", what="the worker controls")


COLUMNS = {
    "worries": "Det der bekymrer",
    "working": "Det der fungerer",
    "next_steps": "Det vi vil se ske",
}


def add_note(page: Page, column_title: str, note: str) -> None:
    field = page.get_by_label(f"Ny note i «{column_title}»")
    field.fill(note)
    field.press("Enter")
    expect(page.get_by_text(note)).to_be_visible()


def synced(page: Page) -> None:
    """The status says all is sent, and the tablet's outbox and photo queue agree."""
    # The status bar (other messages may be live regions too).
    expect(page.locator(".status[role=status]")).to_contain_text("Alt er sendt", timeout=20_000)
    wait_until(page, ALL_SENT, what="the outbox and the photo queue are empty")


ALL_SENT = """async () => {
  const status = document.querySelector('.status[role=status]');
  if (!status || !status.textContent.includes('Alt er sendt')) return false;
  const db = await new Promise(r => {
    const q = indexedDB.open('trivsel');
    q.onsuccess = () => r(q.result);
    q.onerror = q.onblocked = () => r(null);  // asked again at the next poll
  });
  if (!db) return false;
  const done = (q) => new Promise(r => { q.onsuccess = () => r(q.result); });
  const queued = await done(db.transaction('outbox').objectStore('outbox').count());
  const waiting = (state) => done(db.transaction('blobs').objectStore('blobs').index('state')
    .count(state));
  const photos = (await waiting('queued')) + (await waiting('uploading'));
  db.close();
  return queued + photos === 0;
}"""


MONTHS = "januar februar marts april maj juni juli august september oktober november december"
DUE = re.compile(r"Senest (\d+)\. (\w+) (\d{4})")


def due_of(text: str) -> tuple[int, int, int] | None:
    """A task's due date as the start page says it ("Senest 9. december 2026")."""
    found = DUE.search(text)
    if not found:
        return None
    day, month, year = found.groups()
    return (int(year), MONTHS.split().index(month) + 1, int(day))


DEMO_CHILD = ("Emma", "Jensen")


def open_demo_meeting(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Emma Opstartsmøde")).click()
    expect(page.get_by_role("heading", name="Tavlen", exact=True)).to_be_visible()


def notes_on_server(base: str, email: str = "familie@example.org") -> list[str]:
    """The notes of the demo meeting (Emma Jensen's start meeting, as open_demo_meeting
    opens it): found by the child, not as the first course listed, which is another test's
    course once one has made its own on the same server (a full run failed so)."""
    api = api_session(base, email)
    children = api.get(f"{base}/api/children", timeout=30).json()
    emma = next(c["id"] for c in children if (c["first_name"], c["last_name"]) == DEMO_CHILD)
    courses = api.get(f"{base}/api/courses", timeout=30).json()
    course = next(c for c in courses if c["child_id"] == emma)
    meetings = api.get(f"{base}/api/courses/{course['id']}/meetings", timeout=30).json()
    notes = api.get(f"{base}/api/meetings/{meetings[0]['id']}/notes", timeout=30).json()
    return [n["text"] for n in notes]


GPS_IFD = 0x8825


OPEN_DB = (
    "new Promise(r => { const q = indexedDB.open('trivsel'); q.onsuccess = () => r(q.result); })"
)


# Through the app: the rows on disk are sealed (TEST_HOOKS).
STORED_BLOBS = """async () => {
  const all = await globalThis.__TRIVSEL_TEST_HOOKS__.photos();
  const out = [];
  for (const b of all) {
    const bytes = new Uint8Array(await b.blob.arrayBuffer());
    let s = ''; for (const x of bytes) s += String.fromCharCode(x);
    out.push({ hash: b.hash, type: b.type, blobType: b.blob.type, size: b.size, b64: btoa(s) });
  }
  return out;
}"""


BLOB_COUNT = f"""async (n) => {{
  const db = await {OPEN_DB};
  const count = await new Promise(r => {{
    const q = db.transaction('blobs').objectStore('blobs').count(); q.onsuccess = () => r(q.result);
  }});
  db.close();
  return count >= n;
}}"""


def camera_photo(path: Path, light: float = 1.0, blur: float = 1.0, seed: int = 7) -> bytes:
    """A 12-MP board-like JPEG (notes with marker strokes) carrying a GPS position, as a
    tablet camera saves it; ``light`` < 1 makes a dim room, ``blur`` a shaking hand."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (4000, 3000), (232, 233, 228))
    draw = ImageDraw.Draw(img)
    for col in range(3):
        for row in range(4):
            x, y = 200 + col * 1280 + rnd.randint(0, 60), 300 + row * 650
            draw.rectangle([x, y, x + 520, y + 520], fill=(255, 236, 110))
            for line in range(5):
                yy = y + 60 + line * 80
                for word in range(4):
                    xx = x + 30 + word * 120
                    draw.line(
                        [(xx, yy), (xx + rnd.randint(50, 100), yy + rnd.randint(-20, 20))],
                        fill=(25, 25, 30),
                        width=6,
                    )
    img = img.filter(ImageFilter.GaussianBlur(blur)).point(lambda v: round(v * light))
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 40.0, 30.0), 3: "E", 4: (12.0, 34.0, 5.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92, exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return out.getvalue()


def stored(page: Page) -> list[dict[str, Any]]:
    blobs: list[dict[str, Any]] = page.evaluate(STORED_BLOBS)
    for b in blobs:
        b["bytes"] = base64.b64decode(b.pop("b64"))
    return blobs


def photo_kept(page: Page, count: int) -> None:
    """This device holds ``count`` photos it took (encoded and stored)."""
    wait_until(page, BLOB_COUNT, count, timeout=30, what=f"{count} photos stored")


def take_photo(page: Page, path: Path, count: int) -> None:
    page.get_by_label("Tag billede af tavlen").set_input_files(path)
    photo_kept(page, count)


AXE = ROOT / "pwa" / "node_modules" / "axe-core" / "axe.min.js"


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def wcag_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core with the WCAG 2.1 A and AA rule sets: every violation, of any impact."""
    page.evaluate("source => { (0, eval)(source); }", AXE.read_text())
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


@contextmanager
def phone_context(browser: Browser) -> Iterator[BrowserContext]:
    """A parent's phone (390 by 844, touch, Danish), closed (and back online) afterwards."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
    )
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.set_offline(False)
        context.close()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    # Through DevTools, not add_script_tag: the pages' CSP refuses an inline <script> (the
    # point of it), while what DevTools evaluates is not the page's own script.
    page.evaluate("source => { (0, eval)(source); }", AXE.read_text())
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def eventually(check: Any, seconds: float = 20) -> None:
    """The server shows, within ``seconds``, what the page did."""
    harness.wait_until(check, seconds, "the server showed it", interval=0.3)
