"""Suggested notes from a board photo: the notes found in it, their column, and their text
where tesseract reads it well enough (issue 25, part 1).

It runs on the server, on the photo the tablet uploaded: tesseract with its Danish model is a
native program here (3.6 CPU seconds for a board of about twenty notes, bench/README.md), while
the tablet would have to download and keep offline a WebAssembly build of an OCR engine, of a
detector and the Danish model (2.6 MB by itself), and run them on its own cores at the table;
that was not measured. The photo reaches the server anyway.

Suggestions are computed on demand when the tablet asks, and kept per photo hash in this
process's memory (a few boards): asking again, or a colleague's tablet asking, costs nothing;
nothing derived from a child's photo is written anywhere that retention would have to find,
and the access check runs before the cache is looked at, so a deleted photo gives nothing.
"""

from __future__ import annotations

import base64
import threading
from collections import OrderedDict
from dataclasses import dataclass

import cv2

from server.models._common import BOARD_COLUMNS
from server.photos.board_notes import Image, decode, find_notes
from server.photos.note_reading import READ_CONFIDENCE, read_notes

CACHED_PHOTOS = 8  # boards kept per process: the meetings going on at once, roughly
CROP_QUALITY = 80  # a crop is shown beside its suggestion, ~20 KB as JPEG


@dataclass(frozen=True)
class Suggestion:
    column: str  # one of BOARD_COLUMNS
    text: str | None  # None: not read well enough, the leader writes it from the crop
    confidence: float  # tesseract's mean word confidence, 0-100
    crop: str  # a data: URL of the straightened note, JPEG


_cache: OrderedDict[str, list[Suggestion]] = OrderedDict()
_lock = threading.Lock()
# One reading at a time per process: each takes seconds of every core (tesseract in threads),
# and a second would only slow both while holding another worker. The second is told to come
# back (503 with Retry-After), which the tablet's panel does on its own.
_reading = threading.BoundedSemaphore(1)


class Busy(Exception):
    """Another photo is being read in this process just now."""


def suggestions_for(digest: str, photo: bytes) -> list[Suggestion]:
    """The suggested notes of the photo with this hash (computed once per process)."""
    with _lock:
        if digest in _cache:
            _cache.move_to_end(digest)
            return _cache[digest]
    if not _reading.acquire(blocking=False):
        raise Busy
    try:
        found = suggest(photo)
    finally:
        _reading.release()
    with _lock:
        _cache[digest] = found
        while len(_cache) > CACHED_PHOTOS:
            _cache.popitem(last=False)
    return found


def suggest(photo: bytes) -> list[Suggestion]:
    """The notes found in a photo of the board, by column, top to bottom."""
    try:
        image = decode(photo)
    except ValueError:
        return []
    notes = find_notes(image)
    readings = read_notes([note.crop for note in notes])
    return [
        Suggestion(
            column=BOARD_COLUMNS[note.column],
            text=reading.text if reading.confidence >= READ_CONFIDENCE else None,
            confidence=round(reading.confidence, 1),
            crop=_data_url(note.crop),
        )
        for note, reading in zip(notes, readings, strict=True)
    ]


def _data_url(crop: Image) -> str:
    ok, jpeg = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, CROP_QUALITY])
    if not ok:  # pragma: no cover - a BGR uint8 array always encodes
        raise ValueError("crop did not encode")
    return "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode("ascii")
