"""Running the tablet's own photo encoder in Chromium: the built app's ``encoder`` module (found
through Vite's manifest) served from pwa/dist on loopback, with the benchmark's photos beside it.
"""

from __future__ import annotations

import base64
import functools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from tests.browser.live import CHROMIUM, CHROMIUM_ARGS
from tests.harness import ROOT

DIST = ROOT / "pwa" / "dist"
BLANK = b"<!doctype html><meta charset=utf-8><title>encoder bench</title>"

# Runs in the page: the encoder module's encodePhoto on one photo; bytes come back as base64.
ENCODE_JS = """async ([module, photoUrl, encoding]) => {
  const { encodePhoto } = await import(module);
  const file = await (await fetch(photoUrl)).blob();
  const started = performance.now();
  const photo = await encodePhoto(file, encoding ?? undefined);
  const wall = performance.now() - started;
  const b64 = await new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",")[1]);
    reader.readAsDataURL(new Blob([photo.bytes]));
  });
  return { b64, type: photo.type, hash: photo.hash, width: photo.width, height: photo.height,
           measures: photo.measures, problems: photo.problems, timings: photo.timings, wall };
}"""

# The main thread's longest stall while photos are encoded (Long Tasks API, Chromium).
WATCH_JS = """() => { window.__longest = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries())
    window.__longest = Math.max(window.__longest, e.duration); })
  .observe({ type: "longtask" }); }"""


@dataclass(frozen=True)
class Encoded:
    data: bytes
    type: str
    hash: str
    width: int
    height: int
    measures: dict[str, float]
    problems: list[str]
    timings: dict[str, float]
    wall_ms: float


def encoder_module() -> str:
    """The built URL of src/photos/encoder.ts."""
    manifest = json.loads((DIST / ".vite" / "manifest.json").read_text())
    return "/" + str(manifest["src/photos/encoder.ts"]["file"])


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def __init__(self, *args: Any, photos: Path, **kwargs: Any) -> None:
        self.photos = photos
        super().__init__(*args, directory=str(DIST), **kwargs)

    def do_GET(self) -> None:
        if self.path == "/__bench__":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(BLANK)))
            self.end_headers()
            self.wfile.write(BLANK)
            return
        super().do_GET()

    def translate_path(self, path: str) -> str:
        if path.startswith("/photos/"):
            return str(self.photos / Path(path).name)
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def static_server(photos: Path) -> Iterator[str]:
    """pwa/dist and the photos folder on a free loopback port, for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, photos=photos))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Encoder:
    """One Chromium page holding the tablet's encoder; encode() runs it on a served photo."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.module = base + encoder_module()
        self.base = base
        page.goto(base + "/__bench__")
        page.evaluate(WATCH_JS)

    def encode(self, photo_name: str, encoding: dict[str, Any] | None) -> Encoded:
        """``encoding`` None: the tablet's own choice (TABLET_ENCODING, with its fallback)."""
        url = f"{self.base}/photos/{photo_name}"
        got = self.page.evaluate(ENCODE_JS, [self.module, url, encoding])
        return Encoded(
            base64.b64decode(got["b64"]),
            got["type"],
            got["hash"],
            got["width"],
            got["height"],
            got["measures"],
            got["problems"],
            got["timings"],
            got["wall"],
        )

    def longest_stall_ms(self) -> float:
        return float(self.page.evaluate("window.__longest"))


@contextmanager
def chromium_encoder(photos: Path) -> Iterator[Encoder]:
    with static_server(photos) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield Encoder(browser.new_page(), base)
        finally:
            browser.close()
