"""`python -m bench legibility`: is the board still readable after the tablet makes it small?

Generated 12-MP board photos (bench/legibility_board.py) are encoded by the tablet's own
encoder in Chromium (bench/legibility_browser.py), under several candidate settings side by
side; each result is scaled back to the original's size and read by tesseract (Danish). Word
recall is counted against the words written on the board, and reported relative to what
tesseract reads in the camera's original (that is the 100 %). Then the quality warnings are
calibrated: photos that are dim, soft, dark, blurred or have glare, with their measures beside
the limits in pwa/src/photos/quality.ts. Needs Debian's tesseract-ocr, tesseract-ocr-dan and
the handwriting fonts (`make bench-deps`).
"""

from __future__ import annotations

import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageFilter, ImageMath

from bench.legibility_board import DEBIAN_PACKAGES, FONTS, VARIANTS, write_set
from bench.legibility_browser import Encoded, Encoder, chromium_encoder
from tests.harness import ROOT

SEEDS = [int(s) for s in os.environ.get("LEGIBILITY_SEEDS", "1,2,3,4,5,6").split(",")]
CALIBRATION_SEEDS = SEEDS[:3]
BYTES_AIM, RECALL_AIM = 0.10, 0.95
TABLET = "tablet"


def _enc(max_side: int, fmt: str, quality: int, resize: str, encoder: str) -> dict[str, Any]:
    """A PhotoEncoding (pwa/src/photos/encoding.ts)."""
    return {
        "maxSide": max_side,
        "format": fmt,
        "quality": quality,
        "resize": resize,
        "encoder": encoder,
    }


# name -> encoding; None is the tablet's own TABLET_ENCODING.
CANDIDATES: dict[str, dict[str, Any] | None] = {
    "before: canvas 2560 JPEG 85": _enc(2560, "jpeg", 85, "canvas", "canvas"),
    "canvas 2048 JPEG 75": _enc(2048, "jpeg", 75, "canvas", "canvas"),
    "canvas 2048 WebP 60 (Chromium only)": _enc(2048, "webp", 60, "canvas", "canvas"),
    "lanczos3 2048 MozJPEG 70": _enc(2048, "jpeg", 70, "lanczos3", "wasm"),
    "canvas 2048 libwebp 60": _enc(2048, "webp", 60, "canvas", "wasm"),
    "lanczos3 2048 libwebp 45": _enc(2048, "webp", 45, "lanczos3", "wasm"),
    TABLET: None,
    "lanczos3 2048 libwebp 75": _enc(2048, "webp", 75, "lanczos3", "wasm"),
    "lanczos3 1600 libwebp 70": _enc(1600, "webp", 70, "lanczos3", "wasm"),
    "lanczos3 2560 libwebp 50": _enc(2560, "webp", 50, "lanczos3", "wasm"),
}


@dataclass
class Score:
    """Sums over the seeds for one candidate."""

    bytes: int = 0
    matched: int = 0
    kept: int = 0  # of the words read in the original, those still read here
    per_seed: list[float] = field(default_factory=list)  # recall relative to the original
    ms: list[float] = field(default_factory=list)


def main() -> dict[str, Any]:
    _check_tools()
    with tempfile.TemporaryDirectory(prefix="trivsel-legibility-") as tmp:
        folder = Path(tmp)
        words = write_set(folder, SEEDS, ("good",))
        words.update(write_set(folder, CALIBRATION_SEEDS, VARIANTS[1:]))
        with chromium_encoder(folder) as encoder:
            figures = _compare(encoder, folder, words)
            figures["calibration"] = _calibrate(encoder, folder, words)
            figures["longest_main_thread_stall_ms"] = encoder.longest_stall_ms()
    _print(figures)
    return figures


def _compare(encoder: Encoder, folder: Path, words: dict[str, list[str]]) -> dict[str, Any]:
    scores = {name: Score() for name in CANDIDATES}
    original_bytes = original_matched = total_words = 0
    cold_ms = encoder.encode(f"good-{SEEDS[0]}.jpg", None).wall_ms  # worker start, WASM compile
    tablet_type = ""
    for seed in SEEDS:
        name = f"good-{seed}.jpg"
        original = Image.open(folder / name)
        base = read_words(original, words[name])
        original_bytes += (folder / name).stat().st_size
        original_matched += base.total()
        total_words += len(words[name])
        for candidate, encoding in CANDIDATES.items():
            _progress(f"{name}: {candidate}")
            got = encoder.encode(name, encoding)
            if candidate == TABLET:
                tablet_type = got.type
            matched = read_words(_decoded(got, original.size), words[name])
            score = scores[candidate]
            score.bytes += len(got.data)
            score.matched += matched.total()
            score.kept += (matched & base).total()
            score.per_seed.append(matched.total() / base.total() if base else 0.0)
            score.ms.append(got.wall_ms)
    return {
        "original_bytes": original_bytes,
        "original_matched": original_matched,
        "total_words": total_words,
        "scores": scores,
        "cold_first_photo_ms": cold_ms,
        "tablet_type": tablet_type,
    }


def _calibrate(encoder: Encoder, folder: Path, words: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each variant's measures as the tablet computes them, and how readable it really is."""
    rows = []
    for variant in VARIANTS:
        for seed in CALIBRATION_SEEDS:
            name = f"{variant}-{seed}.jpg"
            _progress(f"calibration: {name}")
            got = encoder.encode(name, None)
            good = f"good-{seed}.jpg"
            reference = read_words(Image.open(folder / good), words[good])
            matched = read_words(Image.open(folder / name), words[name])
            recall = matched.total() / reference.total() if reference else 0.0
            rows.append(
                {
                    "variant": variant,
                    "seed": seed,
                    **got.measures,
                    "problems": got.problems,
                    "recall_vs_good": recall,
                }
            )
    return rows


def _progress(what: str) -> None:
    print(f"  ... {what}", file=sys.stderr, flush=True)


def _decoded(got: Encoded, size: tuple[int, int]) -> Image.Image:
    """The encoded photo as a reader sees it, back at the original's size."""
    return Image.open(io.BytesIO(got.data)).convert("RGB").resize(size, Image.Resampling.LANCZOS)


def read_words(image: Image.Image, words: list[str]) -> Counter[str]:
    """The board's words tesseract reads in this image (each occurrence at most once)."""
    text = _ocr(_for_ocr(image))
    found = Counter(re.findall(r"[a-zæøåéü]+", text.lower()))
    return Counter(w.lower() for w in words) & found


def _for_ocr(image: Image.Image) -> Image.Image:
    """Grey, de-speckled, and divided by the board's own brightness, so coloured notes and
    uneven light do not defeat tesseract's global threshold (the same for every image)."""
    grey = image.convert("L").filter(ImageFilter.MedianFilter(3))
    small = (max(1, grey.width // 10), max(1, grey.height // 10))
    background = (
        grey.resize(small, Image.Resampling.BOX)
        .filter(ImageFilter.MaxFilter(5))
        .resize(grey.size, Image.Resampling.BILINEAR)
    )
    flat = ImageMath.lambda_eval(lambda a: a["g"] * 255 / (a["b"] + 1), g=grey, b=background)
    flat = flat.convert("L")
    # Paper is paper: light speckles (sensor noise lifted by the division) become white, or
    # tesseract spends a minute on each of them.
    paper: Image.Image = flat.point(lambda v: 255 if v > 200 else round(v * 255 / 200))
    return paper


def _ocr(image: Image.Image) -> str:
    with tempfile.NamedTemporaryFile(suffix=".png") as png:
        image.save(png.name)
        # One thread: the machine's cores are shared with Chromium and with other work.
        return subprocess.run(
            ["tesseract", png.name, "-", "-l", "dan", "--psm", "11"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        ).stdout


def _check_tools() -> None:
    missing = [f for f in FONTS if not Path(f).is_file()]
    langs = (
        subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
        ).stdout
        if _has("tesseract")
        else ""
    )
    if missing or "dan" not in langs.split():
        raise SystemExit(
            "legibility benchmark: install " + " ".join(DEBIAN_PACKAGES) + " (make bench-deps)"
        )


def _has(tool: str) -> bool:
    return any((Path(d) / tool).is_file() for d in os.environ.get("PATH", "").split(os.pathsep))


def _print(f: dict[str, Any]) -> None:
    print(
        f"\n== board photo legibility (Chromium, tesseract dan; {len(SEEDS)} generated "
        f"12-MP photos, {f['total_words']} words) =="
    )
    print(
        f"  camera originals: {f['original_bytes']:,} bytes; tesseract reads "
        f"{f['original_matched']} of {f['total_words']} words in them = 100 % recall"
    )
    print(
        f"  {'candidate':<38} {'bytes':>10} {'of orig.':>8} {'recall':>7} {'worst':>6} "
        f"{'kept':>6} {'ms/photo':>8}"
    )
    for name, s in f["scores"].items():
        mark = "  <- the tablet (" + f["tablet_type"] + ")" if name == TABLET else ""
        share = s.bytes / f["original_bytes"]
        recall = s.matched / f["original_matched"] if f["original_matched"] else 0.0
        kept = s.kept / f["original_matched"] if f["original_matched"] else 0.0
        print(
            f"  {name:<38} {s.bytes:>10,} {share:>8.1%} {recall:>7.1%} {min(s.per_seed):>6.0%} "
            f"{kept:>6.0%} {statistics.median(s.ms):>8,.0f}{mark}"
        )
    print(
        f"  aim: <= {BYTES_AIM:.0%} of the bytes and >= {RECALL_AIM:.0%} of the original's "
        "recall (recall: all photos together; worst: the worst single photo;\n"
        "  kept: of the words read in the originals, the share still read after encoding)"
    )
    print(
        f"  first photo after start (worker + WebAssembly load): "
        f"{f['cold_first_photo_ms']:,.0f} ms; longest main-thread stall while encoding: "
        f"{f['longest_main_thread_stall_ms']:,.0f} ms"
    )
    _print_calibration(f["calibration"])


def _print_calibration(rows: list[dict[str, Any]]) -> None:
    lim = tablet_limits()
    print("\n== photo warnings: calibration (the tablet's measures on generated photos) ==")
    print(
        f"  limits in quality.ts: dark below {lim['darkBelow']}, blurred below "
        f"{lim['blurredBelow']}, glare above {lim['glareAbove']:.2%}"
    )
    print(
        f"  {'variant':<8} {'brightness':>15} {'sharpness':>15} {'glare':>15} {'warned':>18} "
        f"{'OCR vs good':>12}"
    )
    for variant in VARIANTS:
        mine = [r for r in rows if r["variant"] == variant]
        warned = Counter(p for r in mine for p in r["problems"])
        said = ", ".join(f"{k} {n}/{len(mine)}" for k, n in sorted(warned.items()))
        recall = statistics.mean(r["recall_vs_good"] for r in mine)
        print(
            f"  {variant:<8} {_span(mine, 'brightness', '.0f'):>15} "
            f"{_span(mine, 'sharpness', '.0f'):>15} {_span(mine, 'glare', '.2%'):>15} "
            f"{said or f'none 0/{len(mine)}':>18} {recall:>12.0%}"
        )


def tablet_limits() -> dict[str, float]:
    """LIMITS as written in pwa/src/photos/quality.ts (the tablet's own numbers, not a copy)."""
    source = (ROOT / "pwa" / "src" / "photos" / "quality.ts").read_text()
    block = source[source.index("export const LIMITS") :]
    block = block[: block.index("}")]
    return {k: float(v) for k, v in re.findall(r"(\w+): ([0-9.]+)", block)}


def _span(rows: list[dict[str, Any]], key: str, fmt: str) -> str:
    values = [r[key] for r in rows]
    return f"{format(min(values), fmt)}-{format(max(values), fmt)}"
