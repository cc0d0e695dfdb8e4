"""Storing course attachments: only PDFs and images, checked by their bytes, not their names.

Images are decoded and encoded again without metadata (no location or camera data is
kept); PDFs must start and end like a PDF. Files are stored under their SHA-256, written
atomically, and removed when no attachment uses them any more.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps
from sqlalchemy import select

from server.errors import ApiError
from server.extensions import db
from server.models import Attachment

ATTACHMENT_KINDS = ("resource_assessment", "topi", "other")
_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class Checked:
    data: bytes
    content_type: str


def _refuse(message: str) -> ApiError:
    return ApiError(422, message, "invalid_file", {"file": [message]})


def check_file(data: bytes) -> Checked:
    """The bytes as they will be stored, or a 422 naming what is wrong."""
    if len(data) > current_app.config["ATTACHMENT_MAX_BYTES"]:
        limit = current_app.config["ATTACHMENT_MAX_BYTES"] // (1024 * 1024)
        raise ApiError(413, f"The file is larger than {limit} MB.", "too_large",
                       {"file": [f"At most {limit} MB."]})
    if not data:
        raise _refuse("The file is empty.")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise _refuse("The PDF is incomplete or damaged.")
        return Checked(data, "application/pdf")
    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = img.format or ""
            if kind not in _IMAGE_TYPES:
                raise _refuse("Only PDF, JPEG and PNG files can be attached.")
            img.load()
            upright = ImageOps.exif_transpose(img)
            out = io.BytesIO()
            if kind == "JPEG":
                upright.convert("RGB").save(out, "JPEG", quality=90)
            else:
                upright.save(out, "PNG")
    except ApiError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refuse("Only PDF, JPEG and PNG files can be attached.") from exc
    return Checked(out.getvalue(), _IMAGE_TYPES[kind])


def path_of(digest: str) -> Path:
    return Path(current_app.config["ATTACHMENT_DIR"]) / digest[:2] / digest


def store(data: bytes) -> str:
    """Write the bytes (once per content); returns their SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(digest)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    return digest


def remove_unused(digests: set[str]) -> list[str]:
    """Delete the files of ``digests`` that no attachment row refers to any more."""
    used = set(db.session.scalars(select(Attachment.content_hash).where(
        Attachment.content_hash.in_(digests))))
    removed = []
    for digest in sorted(digests - used):
        path_of(digest).unlink(missing_ok=True)
        removed.append(digest)
    return removed
