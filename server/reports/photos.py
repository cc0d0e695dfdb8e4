"""A phone-sized copy of a board photo, made once on first request.

Phones get this copy with the report (a board photo straight from a tablet camera can be
several megabytes); the cleaned original is sent only when a parent asks for full size.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PIL import Image

from server.blob_store import blob_store

DISPLAY_SIZE = 1000  # px on the long side: sharp on a 390 px wide phone at 2.5x
DISPLAY_QUALITY = 72


def display_path(digest: str) -> Path:
    """The phone-sized JPEG of a stored photo (made now if it does not exist yet)."""
    original = blob_store().path(digest)
    target = original.with_name(f"{digest}.display.jpg")
    if target.is_file():
        return target
    with Image.open(original) as img:
        copy = img.convert("RGB")
        copy.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE))
    fd, tmp = tempfile.mkstemp(dir=original.parent, prefix=".display-")
    try:
        with os.fdopen(fd, "wb") as out:
            copy.save(out, "JPEG", quality=DISPLAY_QUALITY, optimize=True, progressive=True)
        os.replace(tmp, target)  # atomic: two requests at once both end with a whole file
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
