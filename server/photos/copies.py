"""Board photos in reports: the phone-sized copy for parents, and the copy in the PDF.

Phones get the display copy (1000 px, made once when the photo was uploaded: a board photo
straight from a tablet can be several megabytes); the cleaned photo itself only when a
parent asks for full size. The PDF, which is printed and filed, gets the print copy (the
tablet's full 2048 px as JPEG, made the first time a PDF needs it): at 1000 px the board's
handwriting is no longer readable. All come from the object store, never from a public
address.
"""

from __future__ import annotations

from flask import Response, abort, current_app, request

from server.ops.faults import STORE_FAULTS
from server.photos.access import published_upload
from server.photos.blobs import ObjectMissing
from server.photos.storage import StoreError
from server.photos.store import blob_store, send_stored, unavailable_photo
from server.text import catalogue
from server.text.words import current


def print_bytes(digest: str) -> bytes:
    """The print copy's JPEG (for the PDF)."""
    return blob_store().get(digest, "print")


def send_report_photo(item: dict[str, str], full: bool) -> Response:
    """A photo of a published report (``item`` from its snapshot), after the caller's check
    that the reader may read that report; 404 when its record does not carry these bytes."""
    upload = published_upload(item["id"], item["content_hash"])
    if upload is None:
        abort(404)
    variant = "original" if full else "display"
    try:
        stored = blob_store().open(item["content_hash"], variant)
    except ObjectMissing:
        abort(404)
    except StoreError as exc:
        STORE_FAULTS.labels("objects", "unreachable").inc()
        current_app.logger.error("Object store unreachable on GET %s: %s", request.path, exc)
        return unavailable_photo(catalogue(current()).T["photo_unavailable"])
    # No HTTP caching (server/web/headers.py): the parents' service worker keeps what a
    # phone read for offline reading in its own cache.
    return send_stored(
        stored,
        upload.content_type if full else "image/jpeg",
        etag=f"{item['content_hash'][:32]}-{variant}",
    )
