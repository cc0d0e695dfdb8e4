"""The tablet app's benchmark: first-load size, offline start, and a whole meeting sent over
a slow link. Real Chromium against gunicorn on loopback; figures only, no assertions."""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from bench.legibility_board import board_photo
from bench.report import Row, print_rows
from tests.browser.live import CHROMIUM, CHROMIUM_ARGS
from tests.browser.steps import sign_in, wait_until_installed
from tests.harness import ROOT, gunicorn, migrated_app, migrated_database_url, settings

PASSWORD = "bench-password"
UPLINK_BYTES_PER_S = 750_000 / 8  # 750 kbit/s up
LATENCY_MS = 150


def main() -> dict[str, Any]:
    figures = first_load()
    with tempfile.TemporaryDirectory(prefix="trivsel-pwa-bench-") as tmp:
        env = settings(Path(tmp), migrated_database_url(Path(tmp), "pwa"))
        migrated_app(env, demo_password=PASSWORD)
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
    """What a first visit downloads besides index.html: the entry's JS and CSS and their static
    imports (from Vite's manifest), as the server sends them (the build's Brotli copies,
    pwa/scripts/precompress.mjs). The photo encoder loads only with the first photo: it is
    counted apart."""
    dist = ROOT / "pwa" / "dist"
    manifest = json.loads((dist / ".vite" / "manifest.json").read_text())
    first: set[str] = set()
    todo = ["index.html"]
    while todo:
        chunk = manifest[todo.pop()]
        first.add(chunk["file"])
        first.update(chunk.get("css", []))
        todo += chunk.get("imports", [])
    kinds = {".js", ".css", ".wasm"}
    assets = {p.name: p for p in (dist / "assets").iterdir() if p.suffix in kinds}
    initial = [dist / f for f in first]
    lazy = [p for name, p in assets.items() if f"assets/{name}" not in first]
    return {
        "first_load_js_css_wire_kb": _wire_kb(initial),
        "first_load_js_css_raw_kb": _raw_kb(initial),
        "photo_encoder_wire_kb": _wire_kb(lazy),
        "photo_encoder_raw_kb": _raw_kb(lazy),
    }


def _wire_kb(paths: list[Path]) -> float:
    """Bytes sent to a browser that takes Brotli: the build's copy where it made one."""

    def sent(p: Path) -> int:
        copy = p.with_name(p.name + ".br")
        return (copy if copy.is_file() else p).stat().st_size

    return sum(sent(p) for p in paths) / 1024


def _raw_kb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1024


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
    return {
        "offline_reload_to_meeting_ms": statistics.median(app_times) * 1000,
        "blank_page_ms": statistics.median(blank_times) * 1000,
    }


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
        path.write_bytes(board_photo(100 + i).jpeg)  # a generated 12-MP board, as a camera saves it
    page.get_by_label("Tag billede af tavlen").set_input_files(photos)
    # A photo's record is stored after its encoded bytes: three images, three photos ready.
    page.get_by_role("img", name="Billede af tavlen").nth(2).wait_for(timeout=60_000)
    sent = _count_upload_bytes(page)
    timeline = _request_timeline(page)
    context.set_offline(False)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": 4_000_000 / 8,
            "uploadThroughput": UPLINK_BYTES_PER_S,
        },
    )
    started = time.perf_counter()
    page.get_by_role("button", name="Send nu").click()
    page.get_by_role("status").filter(has_text="Alt er sendt").wait_for(timeout=600_000)
    elapsed = time.perf_counter() - started
    photo_bytes = page.evaluate(
        "new Promise(r => { const q = indexedDB.open('trivsel'); q.onsuccess = () => {"
        " const t = q.result.transaction('blobs').objectStore('blobs').getAll();"
        " t.onsuccess = () => r(t.result.reduce((s, b) => s + b.size, 0)); }; })"
    )
    context.close()
    # Playwright does not show binary upload bodies: photo bodies are their stored sizes.
    total = sent["bytes"] + int(photo_bytes)
    figures = {
        "meeting_bytes_sent": total,
        "meeting_photo_bytes": photo_bytes,
        "meeting_camera_bytes": sum(p.stat().st_size for p in photos),
        "meeting_seconds_to_all_sent": elapsed,
        "meeting_minimum_seconds_on_link": total / UPLINK_BYTES_PER_S + LATENCY_MS / 1000,
        "meeting_requests": len(timeline),
    }
    figures["meeting_breakdown"] = _breakdown(timeline, started)
    return figures


def _request_timeline(page: Page) -> list[dict[str, Any]]:
    """Each request from now on: what it was, when it started and ended (perf_counter s)."""
    timeline: list[dict[str, Any]] = []
    starts: dict[int, float] = {}

    def begin(request: Any) -> None:
        starts[id(request)] = time.perf_counter()

    def end(request: Any) -> None:
        if request.url.startswith(("blob:", "data:")):  # the page reading its own photos
            return
        timeline.append(
            {
                "kind": _kind(request.method, request.url),
                "start": starts.pop(id(request), time.perf_counter()),
                "end": time.perf_counter(),
            }
        )

    page.on("request", begin)
    page.on("requestfinished", end)
    page.on("requestfailed", end)
    return timeline


def _kind(method: str, url: str) -> str:
    for part, kind in (
        ("/api/blobs/missing", "ask which photos the server lacks"),
        ("/api/blobs/", "photo upload (PUT)"),
        ("/api/sync/push", "push"),
        ("/api/sync/pull", "pull"),
    ):
        if part in url:
            return kind
    path = re.sub(r"[0-9a-f-]{32,}", "<id>", url.split("?")[0].split("/", 3)[-1])
    return f"other: {method} /{path}"


Span = tuple[str, int, float, float]  # kind of request, how many, first start, last end


def _breakdown(timeline: list[dict[str, Any]], started: float) -> list[Span]:
    """Per kind of request: how many, the time they were in flight, from when to when."""
    rows = []
    for kind in dict.fromkeys(r["kind"] for r in sorted(timeline, key=lambda r: r["start"])):
        mine = [r for r in timeline if r["kind"] == kind]
        rows.append(
            (
                kind,
                len(mine),
                min(r["start"] for r in mine) - started,
                max(r["end"] for r in mine) - started,
            )
        )
    return rows


def _count_upload_bytes(page: Page) -> dict[str, int]:
    """Bytes of request bodies (and request lines and headers) the page sends from now on."""
    counter = {"bytes": 0}

    def count(request: Any) -> None:
        body = b"" if request.method == "PUT" else (request.post_data_buffer or b"")
        head = sum(len(k) + len(v) + 4 for k, v in request.headers.items())
        counter["bytes"] += len(body) + head + len(request.url) + 16

    page.on("request", count)
    return counter


def _print(figures: dict[str, Any]) -> None:
    print("\n== tablet app (Chromium, SQLite) ==")
    rows: list[Row] = [
        ("first load, JS + CSS on the wire (br)", "first_load_js_css_wire_kb", "KB", "<= 150"),
        ("  (the same, uncompressed)", "first_load_js_css_raw_kb", "KB", ""),
        ("photo encoder + all codecs (lazy), wire", "photo_encoder_wire_kb", "KB", ""),
        ("  (the same, uncompressed)", "photo_encoder_raw_kb", "KB", ""),
        ("offline reload to meeting screen", "offline_reload_to_meeting_ms", "ms", ""),
        ("  blank page, same browser", "blank_page_ms", "ms", ""),
        ("whole meeting: bytes sent", "meeting_bytes_sent", "bytes", ""),
        ("  of which photos (after scaling)", "meeting_photo_bytes", "bytes", ""),
        ("  the camera's originals were", "meeting_camera_bytes", "bytes", ""),
        ("whole meeting: time to all sent", "meeting_seconds_to_all_sent", "s", "<= 12"),
        ("  physical minimum (bytes / uplink + 1 RTT)", "meeting_minimum_seconds_on_link", "s", ""),
        ("  requests made", "meeting_requests", "", ""),
    ]
    print_rows(figures, rows)
    print("  where the time went (seconds after 'Send nu'):")
    for kind, count, first, last in figures["meeting_breakdown"]:
        print(f"    {kind:<38} {count:>4} x   {first:6.2f} -> {last:6.2f}")
