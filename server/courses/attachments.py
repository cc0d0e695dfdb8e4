"""Storing course attachments: only PDFs and images, checked by their bytes, not their names.

PDFs are stored as the passive copy ``pdf_check`` writes (never as uploaded). Images are
refused from their header when they have too many pixels, then lose their metadata without
being re-encoded (no location or camera data is kept; the file does not grow). Files are
stored in the object store under ``documents/`` by their SHA-256, written whole, and
removed when no attachment uses them any more. Bytes are served only by attachment id,
after the course's access check: a document's hash is never asked for nor shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from server.blob_store import object_store
from server.courses.pdf_check import PdfRefused, sanitize_pdf
from server.errors import ApiError
from server.extensions import db
from server.models import Attachment
from sync import imaging
from sync.storage import Stored

ATTACHMENT_KINDS = ("resource_assessment", "topi", "other")
_IMAGE_FORMATS = ("JPEG", "PNG")


@dataclass(frozen=True)
class Checked:
    data: bytes
    content_type: str


def _refuse(message: str, status: int = 422, code: str = "invalid_file") -> ApiError:
    return ApiError(status, message, code, {"file": [message]})


def check_file(data: bytes) -> Checked:
    """The bytes as they will be stored, or a 413/422 naming what is wrong."""
    if len(data) > current_app.config["ATTACHMENT_MAX_BYTES"]:
        limit = current_app.config["ATTACHMENT_MAX_BYTES"] // (1024 * 1024)
        raise ApiError(413, f"The file is larger than {limit} MB.", "too_large",
                       {"file": [f"At most {limit} MB."]})
    if not data:
        raise _refuse("The file is empty.")
    if data.startswith(b"%PDF-"):
        try:
            return Checked(sanitize_pdf(data), "application/pdf")
        except PdfRefused as exc:
            raise _refuse(str(exc)) from exc
    try:
        header = imaging.probe(data, _IMAGE_FORMATS, current_app.config["IMAGE_MAX_PIXELS"])
        cleaned = imaging.sanitize(data, header)
    except imaging.TooManyPixels as exc:
        raise _refuse(str(exc), 413, exc.code) from exc
    except imaging.Unreadable as exc:
        raise _refuse(str(exc)) from exc
    except imaging.ImageRefused as exc:
        raise _refuse("Only PDF, JPEG and PNG files can be attached.") from exc
    return Checked(cleaned, imaging.FORMATS[header.format])


def key_of(digest: str) -> str:
    return f"documents/{digest[:2]}/{digest}"


def store(data: bytes) -> str:
    """Write the bytes (once per content); returns their SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    objects = object_store()
    if not objects.has(key_of(digest)):
        objects.put(key_of(digest), data)
    return digest


def open_file(digest: str) -> Stored:
    """The stored document (ObjectMissing if it is gone)."""
    return object_store().open(key_of(digest))


def remove_unused(digests: set[str]) -> list[str]:
    """Delete the files of ``digests`` that no attachment row refers to any more."""
    used = set(db.session.scalars(select(Attachment.content_hash).where(
        Attachment.content_hash.in_(digests))))
    removed = []
    for digest in sorted(digests - used):
        object_store().delete(key_of(digest))
        removed.append(digest)
    return removed
