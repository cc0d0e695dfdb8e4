"""`python -m bench filing`: are the board photos readable in what is filed and printed?

The tablet sends a 2048 px WebP (quality 60). Two copies are made from that stored photo:
the JPEG filed in the case system in its place (Hjernen & Hjertet may not take WebP), and the
copy embedded in the report's PDF (what parents download and what is filed with it). Each
candidate is scaled back to the camera's size and read by tesseract (Danish), as in
`python -m bench legibility`; word recall is given relative to what tesseract reads in the
stored WebP (100 %). For the filed copy, PSNR against the decoded WebP says what the
conversion itself loses. The tablet's photo is made here by Pillow with the same steps
(Lanczos to 2048 px, libwebp at quality 60) rather than in Chromium. The production
functions are `server.photos.imaging.archival_jpeg` and `server.photos.imaging.print_copy`.
Needs tesseract with Danish and the handwriting fonts (`make bench-deps`).
"""

from __future__ import annotations

import io
import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageStat

from bench.legibility import _check_tools, read_words
from bench.legibility_board import board_photo
from server.photos import imaging

SEEDS = [int(s) for s in os.environ.get("FILING_SEEDS", "1,2,3,4,5,6").split(",")]
RECALL_AIM = 0.95


def tablet_webp(camera_jpeg: bytes) -> bytes:
    """The photo as the tablet sends it (pwa/src/photos/encoding.ts: 2048 px, WebP 60)."""
    with Image.open(io.BytesIO(camera_jpeg)) as opened:
        img = opened.convert("RGB")
        img.thumbnail((2048, 2048), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        img.save(out, "WEBP", quality=60)
        return out.getvalue()


def _jpeg(side: int | None, quality: int, subsampling: int) -> Callable[[bytes], bytes]:
    def make(stored: bytes) -> bytes:
        with Image.open(io.BytesIO(stored)) as opened:
            img = opened.convert("RGB")
            if side:
                img.thumbnail((side, side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            img.save(out, "JPEG", quality=quality, subsampling=subsampling, optimize=True)
            return out.getvalue()

    return make


def _png(stored: bytes) -> bytes:
    with Image.open(io.BytesIO(stored)) as img:
        out = io.BytesIO()
        img.convert("RGB").save(out, "PNG", optimize=True)
        return out.getvalue()


NOW = "  <- now"
FILED: dict[str, Callable[[bytes], bytes]] = {
    "WebP as stored (before: filed as is)": lambda stored: stored,
    f"JPEG {imaging.ARCHIVE_QUALITY} 4:4:4, full size{NOW}": imaging.archival_jpeg,
    "JPEG 95 4:4:4, full size": _jpeg(None, 95, 0),
    "JPEG 85 4:2:0, full size": _jpeg(None, 85, 2),
    "PNG, full size": _png,
}
PRINTED: dict[str, Callable[[bytes], bytes]] = {
    f"display copy {imaging.DISPLAY_SIZE} px JPEG {imaging.DISPLAY_QUALITY} (before)": (
        imaging.display_copy
    ),
    f"{imaging.PRINT_SIZE} px JPEG {imaging.PRINT_QUALITY} 4:4:4{NOW}": imaging.print_copy,
    "2048 px JPEG 80 4:2:0": _jpeg(2048, 80, 2),
    "1600 px JPEG 85 4:4:4": _jpeg(1600, 85, 0),
    "1280 px JPEG 85 4:4:4": _jpeg(1280, 85, 0),
}


@dataclass
class Score:
    bytes: int = 0
    matched: int = 0
    per_seed: list[float] = field(default_factory=list)
    psnr: list[float] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)


def main() -> dict[str, dict[str, Score]]:
    _check_tools()
    groups: dict[str, dict[str, Callable[[bytes], bytes]]] = {
        "filed in the case system": FILED,
        "embedded in the report's PDF": PRINTED,
    }
    scores = {group: {name: Score() for name in made} for group, made in groups.items()}
    reference = stored_bytes = 0
    for seed in SEEDS:
        camera = board_photo(seed)
        stored = tablet_webp(camera.jpeg)
        stored_bytes += len(stored)
        size = Image.open(io.BytesIO(camera.jpeg)).size
        decoded = Image.open(io.BytesIO(stored)).convert("RGB")
        base = read_words(decoded.resize(size, Image.Resampling.LANCZOS), camera.words).total()
        reference += base
        for group, made in groups.items():
            for name, make in made.items():
                print(f"  ... seed {seed}: {name}", flush=True)
                started = time.perf_counter()
                data = make(stored)
                elapsed = (time.perf_counter() - started) * 1000
                with Image.open(io.BytesIO(data)) as img:
                    seen = img.convert("RGB")
                got = read_words(seen.resize(size, Image.Resampling.LANCZOS), camera.words)
                score = scores[group][name]
                score.bytes += len(data)
                score.matched += got.total()
                score.per_seed.append(got.total() / base if base else 0.0)
                score.ms.append(elapsed)
                if seen.size == decoded.size:
                    score.psnr.append(_psnr(decoded, seen))
    _print(scores, reference, stored_bytes)
    return scores


def _psnr(a: Image.Image, b: Image.Image) -> float:
    rms = ImageStat.Stat(ImageChops.difference(a, b)).rms
    mse = statistics.mean(r * r for r in rms)
    return math.inf if mse == 0 else 20 * math.log10(255 / math.sqrt(mse))


def _print(scores: dict[str, dict[str, Score]], reference: int, stored_bytes: int) -> None:
    print(
        f"\n== board photos filed and printed ({len(SEEDS)} generated boards; tesseract dan "
        f"reads {reference} words in the stored WebPs = 100 %; "
        f"{stored_bytes // len(SEEDS):,} bytes per WebP) =="
    )
    for group, by_name in scores.items():
        print(f"  {group}:")
        print(
            f"    {'copy':<46} {'bytes/photo':>11} {'recall':>7} {'worst':>6} {'PSNR':>7} {'ms':>6}"
        )
        for name, s in by_name.items():
            psnr = f"{statistics.mean(s.psnr):.1f}" if s.psnr else "-"
            psnr = "lossless" if psnr == "inf" else psnr
            print(
                f"    {name:<46} {s.bytes // len(SEEDS):>11,} {s.matched / reference:>7.1%} "
                f"{min(s.per_seed):>6.0%} {psnr:>7} {statistics.median(s.ms):>6.0f}"
            )
    print(
        f"  aim: recall >= {RECALL_AIM:.0%} of the stored photo's in both (PSNR in dB against "
        "the decoded WebP, same size only)"
    )
