"""Filing a report in the municipality's case system (Hjernen & Hjertet, TVÆRS).

An exporter turns a published report into one archive: the PDF, the board photos (the
cleaned copies the server keeps) and a metadata JSON. Whether the case system takes WebP —
the tablet's format — is not known, so a WebP photo is filed as a JPEG of the same size and a
quality that loses nothing readable (``server.photos.imaging.archival_jpeg``;
`python -m bench filing`); JPEG and PNG photos are filed as stored. The stored and served
photos stay as they are.

The default exporter puts the archive in the object store under ``filing/<child id>/`` —
the ``FILING_DIR`` folder by default, or the ``filing/`` prefix of the S3 store — where the
case system (or an integration job) picks it up; another exporter is a class with the same
``export`` method, named by ``FILING_EXPORTER``. Retention deletes a course's archives with
the course.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any, Protocol

from flask import current_app

from server.extensions import db
from server.models import Course, Filing, Report
from server.parents.comments import as_filed
from server.photos import imaging
from server.photos.access import published_upload
from server.photos.store import blob_store, object_store
from server.reports.pdf import report_pdf
from server.reports.pdf_kit import making

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}


class Exporter(Protocol):
    """Delivers a filing archive somewhere; returns where (shown to staff)."""

    def export(self, report: Report, filing: Filing) -> str: ...


def archive(report: Report, filing: Filing) -> bytes:
    """The zip archive: report.pdf, photos/<n>.<ext> and metadata.json; the parents'
    comments made until filing are in both the PDF and the metadata."""
    course = db.session.get(Course, report.course_id)
    assert course is not None
    snap = report.snapshot
    comments = as_filed(report.meeting_id)
    out = io.BytesIO()
    store = blob_store()
    photos: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("report.pdf", report_pdf(report, comments))
        for n, photo in enumerate(snap["photos"], start=1):
            upload = published_upload(photo["id"], photo["content_hash"])
            kind = upload.content_type if upload else photo["content_type"]
            data, kind = filed_photo(store.get(photo["content_hash"]), kind)
            name = f"photos/{n}.{_EXTENSIONS[kind]}"
            # ZIP_STORED: a JPEG or PNG does not get smaller by deflating it again.
            zf.writestr(name, data, compress_type=zipfile.ZIP_STORED)
            photos.append(
                {
                    **photo,
                    "file": name,
                    "file_type": kind,
                    "file_sha256": hashlib.sha256(data).hexdigest(),
                }
            )
        metadata = {
            "format": "trivsel-filing/1",
            "filing_id": filing.id,
            "filed_at": filing.filed_at.isoformat() if filing.filed_at else None,
            "filed_by": filing.filed_by_name,
            "report_id": report.id,
            "report_version": report.number,
            "published_at": report.published_at.isoformat() if report.published_at else None,
            "course": {
                "id": course.id,
                "concern_level": course.concern_level,
                "start_date": course.start_date.isoformat(),
            },
            "child": snap["child"],
            "meeting": snap["meeting"],
            "photos": photos,
            "review": snap.get("review"),
            "scaling": snap.get("scaling"),
            "parent_comments": comments,
        }
        zf.writestr("metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2))
    return out.getvalue()


def filed_photo(stored: bytes, content_type: str) -> tuple[bytes, str]:
    """A stored photo as it is filed, and its type: WebP as JPEG, others as they are."""
    if content_type in _EXTENSIONS:
        return stored, content_type
    # A photo that cannot be converted fails the same way every time: a refusal (pdf_kit).
    with making("filing archive"):
        return imaging.archival_jpeg(stored), "image/jpeg"


def archive_key(report: Report, filing: Filing) -> str:
    """``filing/<child id>/<meeting date>-v<n>-<filing id>.zip``."""
    snap = report.snapshot
    return (
        f"filing/{snap['child']['id']}/"
        f"{snap['meeting']['starts_at'][:10]}-v{report.number}-{filing.id}.zip"
    )


class FolderExporter:
    """Stores the archive under ``archive_key`` (FILING_DIR by default; named "folder")."""

    def export(self, report: Report, filing: Filing) -> str:
        store = object_store()
        key = archive_key(report, filing)
        store.put(key, archive(report, filing), "application/zip")  # whole or not at all
        return store.where(key)


EXPORTERS: dict[str, type[Exporter]] = {"folder": FolderExporter}


def exporter() -> Exporter:
    """The configured exporter."""
    return EXPORTERS[current_app.config["FILING_EXPORTER"]]()
