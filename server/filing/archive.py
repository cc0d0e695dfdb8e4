"""A filing's contents, built once for whichever exporter sends it (issue 22).

A package holds the report version as PDF, the board photos and the metadata a case system
needs (``metadata.py``: the child's CPR number, the course's reference, KLE number and
facet, date, title). Whether the case system takes WebP — the tablet's format — is not
known, so a WebP photo is filed as a JPEG of the same size and a quality that loses nothing
readable (``server.photos.imaging.archival_jpeg``; `python -m bench filing`), and beside it
the photo as stored, in its original quality; JPEG and PNG photos are filed as stored. The
stored and served photos stay as they are.

As a zip (``Package.zip``): report.pdf, photos/<n>.<ext>, the drawings of the child's three
houses as houses/<part>-<n>.<ext> (shared with the parents or not), originals/<...>.webp, and the
metadata as metadata.json and metadata.xml (for case systems that import XML). The
exporters are in ``exporters.py``; retention deletes a course's archives with the course.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from server.extensions import db
from server.filing.metadata import Case, case_of
from server.models import Course, Filing, Report
from server.models._common import HOUSE_PARTS
from server.parents.comments import as_filed
from server.photos import imaging
from server.photos.access import published_upload
from server.photos.store import blob_store
from server.reports.compose import houses_of
from server.reports.pdf import report_pdf
from server.reports.pdf_kit import making

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}


@dataclass(frozen=True)
class FiledFile:
    """One file of a filing: its name in the archive, bytes and type."""

    name: str
    data: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Package:
    """Everything a filing sends, made once per attempt."""

    key: str  # archive_key: the same for every attempt of one filing
    case: Case
    pdf: FiledFile
    photos: list[FiledFile] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def files(self) -> list[FiledFile]:
        """The PDF first (the main document), then the photos."""
        return [self.pdf, *self.photos]

    def zip(self) -> bytes:
        """The archive the folder exporter stores."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(self.pdf.name, self.pdf.data)
            for photo in self.photos:
                # ZIP_STORED: a JPEG, PNG or WebP does not get smaller by deflating it again.
                zf.writestr(photo.name, photo.data, compress_type=zipfile.ZIP_STORED)
            zf.writestr("metadata.json", json.dumps(self.metadata, ensure_ascii=False, indent=2))
            zf.writestr("metadata.xml", metadata_xml(self.metadata))
        return out.getvalue()


def package(report: Report, filing: Filing) -> Package:
    """The filing of ``report``: its PDF with the parents' comments made until now, the
    photos, and the metadata (the comments are in both the PDF and the metadata)."""
    course = db.session.get(Course, report.course_id)
    assert course is not None
    snap = report.snapshot
    comments = as_filed(report.meeting_id)
    case = case_of(report)
    photos: list[FiledFile] = []
    described: list[dict[str, Any]] = []
    for n, photo in enumerate(snap["photos"], start=1):
        described.append(_file_photo(photo, str(n), "photos", photos))
    # The case file keeps the child's three houses whether or not they were shared with the
    # parents: it is the municipality's record of the course, and the child's own words
    # belong in it; the PDF in it is the parents' version, so it holds them only if shared.
    houses = houses_of(report.meeting_id, shared_only=False)
    if houses is not None:
        for part in HOUSE_PARTS:
            houses[part]["photos"] = [
                _file_photo(drawing, f"{part}-{n}", "houses", photos)
                for n, drawing in enumerate(houses[part]["photos"], start=1)
                if published_upload(drawing["id"], drawing["content_hash"]) is not None
            ]
    pdf = FiledFile("report.pdf", report_pdf(report, comments), "application/pdf")
    metadata = {
        "format": "trivsel-filing/2",
        "filing_id": filing.id,
        "filed_at": filing.filed_at.isoformat() if filing.filed_at else None,
        "filed_by": filing.filed_by_name,
        "report_id": report.id,
        "report_version": report.number,
        "published_at": report.published_at.isoformat() if report.published_at else None,
        "case": case.as_json(),
        "document": {"file": pdf.name, "file_type": pdf.content_type, "file_sha256": pdf.sha256},
        "course": {
            "id": course.id,
            "concern_level": course.concern_level,
            "start_date": course.start_date.isoformat(),
        },
        "child": snap["child"],
        "meeting": snap["meeting"],
        "photos": described,
        "houses": houses,
        "review": snap.get("review"),
        "scaling": snap.get("scaling"),
        "parent_comments": comments,
    }
    return Package(archive_key(report, filing), case, pdf, photos, metadata)


def _file_photo(
    photo: dict[str, Any], stem: str, folder: str, files: list[FiledFile]
) -> dict[str, Any]:
    """File one photo (and its original, when converted) into ``files``; its description."""
    upload = published_upload(photo["id"], photo["content_hash"])
    kind = upload.content_type if upload else photo["content_type"]
    stored = blob_store().get(photo["content_hash"])
    data, filed_kind = filed_photo(stored, kind)
    filed = FiledFile(f"{folder}/{stem}.{_EXTENSIONS[filed_kind]}", data, filed_kind)
    files.append(filed)
    entry: dict[str, Any] = {
        **photo,
        "file": filed.name,
        "file_type": filed.content_type,
        "file_sha256": filed.sha256,
    }
    if filed_kind != kind:  # converted: the original goes beside it
        original = FiledFile(f"originals/{stem}.{kind.split('/')[-1]}", stored, kind)
        files.append(original)
        entry.update(original=original.name, original_sha256=original.sha256)
    return entry


def archive(report: Report, filing: Filing) -> bytes:
    """The zip archive of ``package`` (report.pdf, photos, metadata.json and .xml)."""
    return package(report, filing).zip()


def metadata_xml(metadata: dict[str, Any]) -> bytes:
    """The metadata as XML: one element per key, lists as repeated ``item`` elements."""
    root = ElementTree.Element("filing")
    _xml_into(root, metadata)
    ElementTree.indent(root)
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


def _xml_into(parent: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_into(ElementTree.SubElement(parent, str(key)), item)
    elif isinstance(value, list):
        for item in value:
            _xml_into(ElementTree.SubElement(parent, "item"), item)
    elif value is not None:
        parent.text = str(value).lower() if isinstance(value, bool) else str(value)


def filed_photo(stored: bytes, content_type: str) -> tuple[bytes, str]:
    """A stored photo as it is filed, and its type: WebP as JPEG, others as they are."""
    if content_type in _EXTENSIONS:
        return stored, content_type
    # A photo that cannot be converted fails the same way every time: a refusal (pdf_kit).
    with making("filing archive"):
        return imaging.archival_jpeg(stored), "image/jpeg"


def archive_key(report: Report, filing: Filing) -> str:
    """``filing/<child id>/<meeting date>-v<n>-<filing id>.zip``: one key per filing, so a
    second attempt replaces the first instead of adding a document."""
    snap = report.snapshot
    return (
        f"filing/{snap['child']['id']}/"
        f"{snap['meeting']['starts_at'][:10]}-v{report.number}-{filing.id}.zip"
    )
