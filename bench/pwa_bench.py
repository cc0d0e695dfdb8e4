"""The tablet app's benchmark: first-load size, offline start, and a whole meeting sent over
a slow link. Real Chromium against gunicorn on loopback; figures only, no assertions."""

from __future__ import annotations

import gzip
import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from PIL import Image, ImageDraw
from playwright.sync_api import Page, sync_playwright

from bench.report import Row, print_rows
from server import create_app
from server.demo import load_demo
from server.extensions import db
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in, wait_until_installed
from tests.e2e.servers import ROOT, gunicorn

PASSWORD = "bench-password"
UPLINK_BYTES_PER_S = 750_000 / 8  # 750 kbit/s up
LATENCY_MS = 150


def main() -> dict[str, Any]:
    figures = first_load()
    with tempfile.TemporaryDirectory(prefix="trivsel-pwa-bench-") as tmp:
        env = {"TRIVSEL_ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp}/pwa.sqlite3",
               "SECRET_KEY": "bench", "BLOB_DIR": f"{tmp}/blobs"}
        app = create_app(dict(env))
        with app.app_context():
            upgrade()
            load_demo(PASSWORD)
            db.engine.dispose()
        with gunicorn(env) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                figures.update(offline_start(browser, base))
                figures.update(whole_meeting(browser, base, Path(tmp)))
            finally:
                browser.close()
    _print(figures)
    return figures


def first_load() -> dict[str, Any]:
    """What a first visit downloads besides index.html: the JS and CSS, gzipped as a proxy
    (or CDN) in front of the app would send them."""
    assets = list((ROOT / "pwa" / "dist" / "assets").glob("*.js")) + list(
        (ROOT / "pwa" / "dist" / "assets").glob("*.css"))
    raw = sum(p.stat().st_size for p in assets)
    zipped = sum(len(gzip.compress(p.read_bytes(), 6)) for p in assets)
    return {"first_load_js_css_gzip_kb": zipped / 1024, "first_load_js_css_raw_kb": raw / 1024}


def offline_start(browser: Any, base: str) -> dict[str, Any]:
    """Offline reload to an interactive meeting screen, next to a blank page's load."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(base)
    sign_in(page, "familie@example.org", PASSWORD)
    page.get_by_role("status").filter(has_text="Alt er sendt").wait_for()
    wait_until_installed(page)
    page.get_by_role("button", name="Emma Opstartsmøde", exact=False).click()
    page.get_by_role("heading", name="Tavlen", exact=True).wait_for()
    context.set_offline(True)
    app_times, blank_times = [], []
    for _ in range(7):
        started = time.perf_counter()
        page.reload()
        page.get_by_label("Ny note i «Det der bekymrer»").wait_for()
        app_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        page.goto("data:text/html,<title>blank</title><p>blank</p>")
        blank_times.append(time.perf_counter() - started)
        page.go_back()
        page.get_by_role("heading", name="Tavlen", exact=True).wait_for()
    context.close()
    return {"offline_reload_to_meeting_ms": statistics.median(app_times) * 1000,
            "blank_page_ms": statistics.median(blank_times) * 1000}


def whole_meeting(browser: Any, base: str, tmp: Path) -> dict[str, Any]:
    """40 notes, 8 agreements and 3 photos from a 12-megapixel camera, captured offline, then
    sent over 750 kbit/s up with 150 ms latency."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(base)
    sign_in(page, "paedagog@example.org", PASSWORD)
    page.get_by_role("status").filter(has_text="Alt er sendt").wait_for()
    page.get_by_role("button", name="Emma Opstartsmøde", exact=False).click()
    context.set_offline(True)
    columns = ["Det der bekymrer", "Det der fungerer", "Det vi vil se ske"]
    for n in range(40):
        field = page.get_by_label(f"Ny note i «{columns[n % 3]}»")
        field.fill(f"Note nummer {n} om det vi så i dag")
        field.press("Enter")
        page.get_by_text(f"Note nummer {n} om").wait_for()
    for n in range(8):
        page.get_by_label("Hvad").fill(f"Aftale nummer {n}")
        page.get_by_role("button", name="Tilføj aftale").click()
        page.get_by_text(f"Aftale nummer {n}").wait_for()
    photos = [tmp / f"camera-{i}.jpg" for i in range(3)]
    for i, path in enumerate(photos):
        path.write_bytes(_camera_photo(i))
    page.get_by_label("Tag billede af tavlen").set_input_files(photos)
    page.get_by_role("img", name="Billede af tavlen").nth(2).wait_for()
    sent = _count_upload_bytes(page)
    context.set_offline(False)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": LATENCY_MS, "downloadThroughput": 4_000_000 / 8,
        "uploadThroughput": UPLINK_BYTES_PER_S})
    started = time.perf_counter()
    page.get_by_role("button", name="Send nu").click()
    page.get_by_role("status").filter(has_text="Alt er sendt").wait_for(timeout=600_000)
    elapsed = time.perf_counter() - started
    photo_bytes = page.evaluate(
        "new Promise(r => { const q = indexedDB.open('trivsel'); q.onsuccess = () => {"
        " const t = q.result.transaction('blobs').objectStore('blobs').getAll();"
        " t.onsuccess = () => r(t.result.reduce((s, b) => s + b.size, 0)); }; })")
    context.close()
    # Playwright does not show binary upload bodies: photo bodies are their stored sizes.
    total = sent["bytes"] + int(photo_bytes)
    return {"meeting_bytes_sent": total, "meeting_photo_bytes": photo_bytes,
            "meeting_camera_bytes": sum(p.stat().st_size for p in photos),
            "meeting_seconds_to_all_sent": elapsed,
            "meeting_minimum_seconds_on_link": total / UPLINK_BYTES_PER_S}


def _count_upload_bytes(page: Page) -> dict[str, int]:
    """Bytes of request bodies (and request lines and headers) the page sends from now on."""
    counter = {"bytes": 0}

    def count(request: Any) -> None:
        body = b"" if request.method == "PUT" else (request.post_data_buffer or b"")
        head = sum(len(k) + len(v) + 4 for k, v in request.headers.items())
        counter["bytes"] += len(body) + head + len(request.url) + 16

    page.on("request", count)
    return counter


def _camera_photo(seed: int) -> bytes:
    """A 4000 x 3000 JPEG with some texture, roughly what a tablet camera makes of a board."""
    noise = Image.effect_noise((4000, 3000), 25 + seed).convert("RGB")
    draw = ImageDraw.Draw(noise)
    for x in range(0, 4000, 400):
        draw.rectangle([x, 200, x + 300, 2800], outline=(20, 20, 20), width=12)
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=88)
    return out.getvalue()


def _print(figures: dict[str, Any]) -> None:
    print("\n== tablet app (Chromium, SQLite) ==")
    rows: list[Row] = [
        ("first load, JS + CSS gzipped", "first_load_js_css_gzip_kb", "KB", "<= 150"),
        ("  (the same, uncompressed)", "first_load_js_css_raw_kb", "KB", ""),
        ("offline reload to meeting screen", "offline_reload_to_meeting_ms", "ms", ""),
        ("  blank page, same browser", "blank_page_ms", "ms", ""),
        ("whole meeting: bytes sent", "meeting_bytes_sent", "bytes", ""),
        ("  of which photos (after scaling)", "meeting_photo_bytes", "bytes", ""),
        ("  the camera's originals were", "meeting_camera_bytes", "bytes", ""),
        ("whole meeting: time to all sent", "meeting_seconds_to_all_sent", "s", ""),
        ("  minimum for those bytes on the link", "meeting_minimum_seconds_on_link", "s", ""),
    ]
    print_rows(figures, rows)
