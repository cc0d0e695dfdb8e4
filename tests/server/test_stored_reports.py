"""A report's stored files, on the filesystem and on S3: the parents' photo copies, the PDF
made from the display copy, and the filed archive kept in the object store."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from flask import Flask
from PIL import Image
from sqlalchemy import select

from server.extensions import db
from server.filing.archive import archive_key
from server.models import Filing, Report
from server.photos.store import object_store
from tests.server.reporting import fill_meeting, invitation_links, pdf_text, phone, publish
from tests.server.stores import app_config, stored_keys
from tests.server.world import created
from tests.sync.images import has_gps, pixels

__all__ = ["app_config"]  # both stores for every test here


def test_parents_get_the_display_copy_and_the_full_photo(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    filled = fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    url = f"/p/reports/{demo['meeting']}/photos/{filled['photo']}"
    small = mor.get(url)
    assert small.status_code == 200 and small.mimetype == "image/jpeg"
    # No HTTP cache keeps a child's photo (issue 19): the parents' service worker keeps what
    # the phone reads offline in its own cache.
    assert small.headers["Cache-Control"] == "no-store"
    with Image.open(io.BytesIO(small.data)) as img:
        assert max(img.size) == 1000
    again = mor.get(url, headers={"If-None-Match": small.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""  # a client holding it is told so
    full = mor.get(f"{url}?full=1")
    assert full.status_code == 200 and pixels(full.data) == pixels(filled["image"])
    assert not has_gps(full.data)
    assert app.test_client().get(url).status_code == 404  # no phone session, nothing
    pdf = mor.get(f"/p/reports/{demo['meeting']}.pdf")
    assert pdf.status_code == 200 and "worries note" in pdf_text(pdf.data)


def test_a_filed_report_is_an_archive_in_the_store(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    filled = fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    filing = created(familie.post("/api/filings", {"meeting_id": demo["meeting"]}))
    with app.app_context():
        row = db.session.get(Filing, filing["id"])
        assert row is not None
        report = db.session.scalar(select(Report).where(Report.id == row.report_id))
        assert report is not None
        key = archive_key(report, row)
        assert filing["location"] == object_store().where(key)
        archive = object_store().get(key)
    assert key in stored_keys(app)
    assert key.startswith(f"filing/{demo['children']['Emma']}/")
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        # metadata.xml beside the JSON since issue 22 (a JPEG photo has no original apart).
        assert sorted(zf.namelist()) == [
            "metadata.json",
            "metadata.xml",
            "photos/1.jpg",
            "report.pdf",
        ]
        photo = zf.read("photos/1.jpg")
        metadata = json.loads(zf.read("metadata.json"))
    assert pixels(photo) == pixels(filled["image"]) and not has_gps(photo)
    assert metadata["filing_id"] == filing["id"]
