"""Filing a report in the municipality's case system (Hjernen & Hjertet, TVÆRS).

An exporter turns a published report into one archive: the PDF, the original board photos
and a metadata JSON. The default drops the archive into a folder that the case system (or
an integration job) picks up; another exporter is a class with the same ``export`` method,
named by ``FILING_EXPORTER``.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any, Protocol

from flask import current_app

from server.blob_store import blob_store
from server.extensions import db
from server.models import Course, Filing, Report
from server.reports.pdf import report_pdf

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class Exporter(Protocol):
    """Delivers a filing archive somewhere; returns where (shown to staff)."""

    def export(self, report: Report, filing: Filing) -> str: ...


def archive(report: Report, filing: Filing) -> bytes:
    """The zip archive: report.pdf, photos/<n>.<ext> and metadata.json."""
    course = db.session.get(Course, report.course_id)
    assert course is not None
    snap = report.snapshot
    out = io.BytesIO()
    store = blob_store()
    photos: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("report.pdf", report_pdf(report))
        for n, photo in enumerate(snap["photos"], start=1):
            name = f"photos/{n}.{_EXTENSIONS.get(photo['content_type'], 'bin')}"
            zf.write(store.path(photo["content_hash"]), name)
            photos.append({**photo, "file": name})
        metadata = {
            "format": "trivsel-filing/1",
            "filing_id": filing.id,
            "filed_at": filing.filed_at.isoformat() if filing.filed_at else None,
            "filed_by": filing.filed_by_name,
            "report_id": report.id,
            "report_version": report.number,
            "published_at": report.published_at.isoformat() if report.published_at else None,
            "course": {"id": course.id, "concern_level": course.concern_level,
                       "start_date": course.start_date.isoformat()},
            "child": snap["child"],
            "meeting": snap["meeting"],
            "photos": photos,
        }
        zf.writestr("metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2))
    return out.getvalue()


class FolderExporter:
    """Writes ``<FILING_DIR>/<child id>/<meeting date>-v<n>-<filing id>.zip``."""

    def export(self, report: Report, filing: Filing) -> str:
        snap = report.snapshot
        folder = Path(current_app.config["FILING_DIR"]) / snap["child"]["id"]
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{snap['meeting']['starts_at'][:10]}-v{report.number}-{filing.id}.zip"
        tmp = folder / f".{name}.tmp"
        tmp.write_bytes(archive(report, filing))
        os.replace(tmp, folder / name)  # the case system never sees half a file
        return str(folder / name)


EXPORTERS: dict[str, type[Exporter]] = {"folder": FolderExporter}


def exporter() -> Exporter:
    """The configured exporter."""
    return EXPORTERS[current_app.config["FILING_EXPORTER"]]()
