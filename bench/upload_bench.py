"""Upload benchmark: what refusing a huge picture costs, and what the server keeps of a photo.

Prints:
- the peak memory a worker spends on the 10,900 x 10,900 PNG of issue 10 (119 megapixels,
  0.35 MB on the wire), refused as a photo and as a document: the code before this change
  (decode, turn upright, re-encode; Pillow's MAX_IMAGE_PIXELS guard set to 60 MP) beside
  today's (the header is read, nothing decoded). Each runs in a fresh process, measured as
  the growth of its peak resident memory.
- bytes stored and served vs bytes sent for a tablet-sized board photo (2048 px JPEG at
  quality 75 and WebP at quality 60, with a GPS position in the EXIF), beside what the
  former re-encoding (quality 90) stored; and the time the server spends per photo.
Figures only, no aims asserted; everything runs in this process or its children.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import Row, print_rows

_MEASURE = r"""
import io, resource, sys
sys.path.insert(0, {root!r})
from tests.sync.images import huge_png
from PIL import Image, ImageOps, PngImagePlugin  # imports are not part of the figure
from server.photos import blobs, imaging
data = huge_png()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
how = sys.argv[1]
try:
    if how == "before":
        from PIL import Image, ImageOps
        Image.MAX_IMAGE_PIXELS = 60_000_000  # what server/photos/blobs.py set
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
        out = io.BytesIO()
        upright.save(out, "PNG")  # the cleaned copy
        thumb = upright.convert("RGB")  # and its thumbnail
        thumb.thumbnail((320, 320))
        print("accepted", end=" ")
    elif how == "photo":
        import hashlib
        from server.photos.blobs import PhotoStore
        from server.photos.storage import open_store
        folder = {folder!r}
        store = PhotoStore(open_store("", {{n: folder + "/" + n for n in
                                           ("photos", "documents", "filing")}}), 20_000_000)
        store.put(hashlib.sha256(data).hexdigest(), data, "image/png")
        print("accepted", end=" ")
    else:  # document: the attachment check's image path
        from server.photos import imaging
        imaging.sanitize(data, imaging.probe(data, ("JPEG", "PNG"), 25_000_000))
        print("accepted", end=" ")
except Exception as exc:
    print("refused:" + type(exc).__name__, end=" ")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((peak - base) / 1024)
"""


def main() -> None:
    root = str(Path(__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory(prefix="trivsel-upload-bench-") as folder:
        refusal = {how: _peak(root, folder, how) for how in ("before", "photo", "document")}
    figures = {
        "before_mb": refusal["before"][1],
        "photo_mb": refusal["photo"][1],
        "document_mb": refusal["document"][1],
        **_bytes_kept(),
    }
    print("\n== uploads: a 119-megapixel PNG (0.35 MB sent) ==")
    print_rows(figures, REFUSAL_ROWS)
    for how, (outcome, _) in refusal.items():
        print(f"  outcome {how:<33} {outcome}")
    print("\n== uploads: a 2048 px board photo with a GPS position, as the tablet sends it ==")
    print_rows(figures, BYTES_ROWS)


REFUSAL_ROWS: list[Row] = [
    ("before: peak memory", "before_mb", "MB", ""),
    ("now, as a photo: peak memory", "photo_mb", "MB", ""),
    ("now, as a document: peak memory", "document_mb", "MB", ""),
]
BYTES_ROWS: list[Row] = [
    ("JPEG q75: sent", "jpeg_sent", "bytes", ""),
    ("  stored and served now", "jpeg_stored", "bytes", "<= sent"),
    ("  stored by the former re-encoding", "jpeg_former", "bytes", ""),
    ("  server time per photo", "jpeg_ms", "ms", ""),
    ("WebP q60: sent", "webp_sent", "bytes", ""),
    ("  stored and served now", "webp_stored", "bytes", "<= sent"),
    ("  stored by the former re-encoding", "webp_former", "bytes", ""),
    ("  server time per photo", "webp_ms", "ms", ""),
]


def _peak(root: str, folder: str, how: str) -> tuple[str, float]:
    script = _MEASURE.format(root=root, folder=folder)
    done = subprocess.run(
        [sys.executable, "-c", script, how],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=root,
    )
    outcome, megabytes = done.stdout.split()
    return outcome, float(megabytes)


def _bytes_kept() -> dict[str, float | int]:
    import hashlib
    import io

    from PIL import Image

    from server.photos.blobs import PhotoStore
    from server.photos.storage import open_store
    from tests.sync.images import board, encoded, gps_exif

    figures: dict[str, float | int] = {}
    picture = board((2048, 1536), seed=1)
    with tempfile.TemporaryDirectory(prefix="trivsel-upload-bench-") as folder:
        store = PhotoStore(
            open_store("", {n: Path(folder) / n for n in ("photos", "documents", "filing")}),
            20_000_000,
        )
        for name, fmt, options in (
            ("jpeg", "JPEG", {"quality": 75, "optimize": True, "progressive": True}),
            ("webp", "WEBP", {"quality": 60}),
        ):
            data = encoded(picture, fmt, exif=gps_exif(), **options)
            started = time.perf_counter()
            accepted = store.put(hashlib.sha256(data).hexdigest(), data, f"image/{name}")
            figures[f"{name}_ms"] = (time.perf_counter() - started) * 1000
            figures[f"{name}_sent"] = len(data)
            figures[f"{name}_stored"] = accepted.stored
            with Image.open(io.BytesIO(data)) as img:  # what the former code stored
                former = io.BytesIO()
                img.convert("RGB").save(former, fmt, quality=90)
            figures[f"{name}_former"] = len(former.getvalue())
    return figures


if __name__ == "__main__":
    main()
