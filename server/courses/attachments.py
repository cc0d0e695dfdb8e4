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

from server.courses.pdf_check import PdfRefused, sanitize_pdf
from server.errors import ApiError
from server.extensions import db
from server.models import Attachment
from server.photos import imaging
from server.photos.storage import ObjectMissing, Stored
from server.photos.store import object_store

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
        raise ApiError(
            413,
            f"The file is larger than {limit} MB.",
            "too_large",
            {"file": [f"At most {limit} MB."]},
        )
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
    used = set(
        db.session.scalars(
            select(Attachment.content_hash).where(Attachment.content_hash.in_(digests))
        )
    )
    removed = []
    for digest in sorted(digests - used):
        object_store().delete(key_of(digest))
        removed.append(digest)
    return removed


@dataclass(frozen=True)
class Rewritten:
    """What ``rewrite_stored_pdfs`` did: files rewritten, already passive, or not readable."""

    rewritten: int
    unchanged: int
    unreadable: list[str]  # attachment ids, left as they are for someone to look at


def rewrite_stored_pdfs() -> Rewritten:
    """Store every PDF in its passive rewrite (``sanitize_pdf``) and point its rows at it.

    Documents uploaded before uploads were rewritten (issue 19, finding 5) were stored as
    uploaded, some of them with actions the old check missed. Run once after deploying;
    running it again is harmless."""
    rows = db.session.scalars(
        select(Attachment).where(Attachment.content_type == "application/pdf")
    ).all()
    by_digest: dict[str, list[Attachment]] = {}
    for row in rows:
        by_digest.setdefault(row.content_hash, []).append(row)
    rewritten, unchanged = 0, 0
    unreadable: list[str] = []
    old: set[str] = set()
    for digest, users in sorted(by_digest.items()):
        try:
            clean = sanitize_pdf(object_store().get(key_of(digest)))
        except (PdfRefused, ObjectMissing):
            unreadable.extend(sorted(row.id for row in users))
            continue
        new = store(clean)
        if new == digest:
            unchanged += 1
            continue
        for row in users:
            row.content_hash, row.size = new, len(clean)
        old.add(digest)
        rewritten += 1
    db.session.commit()  # the rows point at the new files before the old ones go
    remove_unused(old)
    return Rewritten(rewritten, unchanged, unreadable)
