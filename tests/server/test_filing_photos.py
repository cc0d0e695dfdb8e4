"""Board photos in what is filed and printed: the tablet sends WebP, the case system gets JPEG,
and the report's PDF shows the board large enough to read.

Whether the municipality's case system (Hjernen & Hjertet, TVÆRS) takes WebP is unknown, so a
WebP photo is filed as a full-size, high-quality JPEG; what the server stores and serves stays
the tablet's WebP. Run on both stores (files and S3).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import statistics
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader

from server.extensions import db
from server.photos.store import object_store
from tests import harness
from tests.harness import ApiClient, demo_ids
from tests.s3server import s3_app_config
from tests.server.reporting import fill_meeting, publish
from tests.server.stores import stored_keys
from tests.server.world import created
from tests.sync.images import board, encoded, sha

DEMO_PASSWORD = "filing-photos-demo"
# On one xdist worker: split between two, each would make both worlds (the app fixture).
pytestmark = pytest.mark.xdist_group("filing-photos")


def psnr(a: bytes, b: bytes) -> float:
    """How close two pictures are, in dB (above ~40: no difference a reader could see)."""
    with Image.open(io.BytesIO(a)) as x, Image.open(io.BytesIO(b)) as y:
        assert x.size == y.size
        rms = ImageStat.Stat(ImageChops.difference(x.convert("RGB"), y.convert("RGB"))).rms
    mse = statistics.mean(r * r for r in rms)
    return math.inf if mse == 0 else 20 * math.log10(255 / math.sqrt(mse))


@pytest.fixture(scope="module", params=["files", "s3"])
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """One app per store (files, S3) for the module, with the demo data: the tests only read
    the world ``filed`` makes once in it (their GETs add audit entries, which no test here
    looks at). Made once per test, the eight worlds took 94 s of setup in a loaded run."""
    tmp = tmp_path_factory.mktemp("filing")
    config: dict[str, Any] = dict(
        harness.settings(tmp, harness.migrated_database_url(tmp, f"filing_{request.param}"))
    )
    if request.param == "s3":
        config.update(s3_app_config(request.getfixturevalue("s3_endpoint")))
    app = harness.migrated_app(config, demo_password=DEMO_PASSWORD)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def filed(app: Flask) -> dict[str, Any]:
    """The demo meeting with a tablet's WebP board photo (taken first) and fill_meeting's
    JPEG photo, published and filed; the archive's parts and what the server stored."""
    with app.app_context():
        demo = demo_ids()
    familie = ApiClient(app.test_client())
    familie.login("familie@example.org", DEMO_PASSWORD)
    webp = encoded(board(seed=4), "WEBP", quality=60)  # as the tablet sends it
    upload_webp = familie.put(
        f"/api/blobs/{sha(webp)}", data=webp, headers={"Content-Type": "image/webp"}
    )
    assert upload_webp.status_code == 200, upload_webp.get_json()
    created(
        familie.post(
            "/api/photos",
            {
                "meeting_id": demo["meeting"],
                "content_hash": sha(webp),
                "size": len(webp),
                "content_type": "image/webp",
            },
        )
    )
    jpeg = fill_meeting(familie, demo["meeting"])["image"]
    served_before = familie.get(f"/api/blobs/{sha(webp)}").data
    created(publish(familie, demo["meeting"]))
    filing = created(familie.post("/api/filings", {"meeting_id": demo["meeting"]}))
    [key] = [k for k in stored_keys(app) if k.startswith("filing/")]
    assert filing["location"].endswith(key.removeprefix("filing"))
    with app.app_context(), zipfile.ZipFile(io.BytesIO(object_store().get(key))) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    return {
        "client": familie,
        "webp": webp,
        "jpeg": jpeg,
        "files": files,
        "metadata": json.loads(files["metadata.json"]),
        "served_before": served_before,
    }


def test_a_webp_photo_is_filed_as_a_full_size_jpeg_that_loses_nothing_readable(
    filed: dict[str, Any],
) -> None:
    files, metadata = filed["files"], filed["metadata"]
    # Issue 22 added the XML metadata and the converted photo's original beside its JPEG.
    assert sorted(files) == [
        "metadata.json",
        "metadata.xml",
        "originals/1.webp",
        "photos/1.jpg",
        "photos/2.jpg",
        "report.pdf",
    ]
    assert files["originals/1.webp"] == filed["served_before"]  # the original, as stored
    first = files["photos/1.jpg"]
    with Image.open(io.BytesIO(first)) as img, Image.open(io.BytesIO(filed["webp"])) as sent:
        assert img.format == "JPEG" and img.size == sent.size
        assert not img.getexif() and "icc_profile" not in img.info
    assert psnr(first, filed["served_before"]) >= 42  # high quality: no visible loss
    described = metadata["photos"][0]
    assert described["content_hash"] == sha(filed["webp"])
    assert described["content_type"] == "image/webp"  # what the tablet took
    assert (described["file"], described["file_type"]) == ("photos/1.jpg", "image/jpeg")
    assert described["file_sha256"] == hashlib.sha256(first).hexdigest()


def test_a_jpeg_photo_is_filed_as_stored(filed: dict[str, Any]) -> None:
    second = filed["files"]["photos/2.jpg"]
    stored = filed["client"].get(f"/api/blobs/{sha(filed['jpeg'])}").data
    assert second == stored  # not encoded again
    assert filed["metadata"]["photos"][1]["file_type"] == "image/jpeg"


def test_the_stored_and_served_photo_stays_the_tablets_webp(filed: dict[str, Any]) -> None:
    served = filed["client"].get(f"/api/blobs/{sha(filed['webp'])}")
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert served.data == filed["served_before"]


def test_the_pdf_shows_each_board_photo_at_the_tablets_full_size(
    app: Flask, filed: dict[str, Any]
) -> None:
    """The 1000 px display copy leaves the handwriting unreadable (bench/filing_bench.py):
    the PDF, which is printed and filed, carries the photo at its full 2048 px, as JPEG."""
    pdf = filed["files"]["report.pdf"]
    # Each image once: WeasyPrint gives all pages one resource dictionary, so pypdf lists
    # every image of the document on every page; the same object is the same image.
    every = list(
        {
            image.indirect_reference.idnum if image.indirect_reference else id(image): image
            for page in PdfReader(io.BytesIO(pdf)).pages
            for image in page.images
        }.values()
    )
    # The municipality's logo heads the letter (issue 21); the rest are the board's photos.
    images = [image for image in every if image.data[:2] == b"\xff\xd8"]
    assert len(images) == 2 and len(every) <= 3
    for image in images:
        assert image.data[:2] == b"\xff\xd8"  # embedded as JPEG, not as raw pixels
        assert image.image is not None
        assert max(image.image.size) == 2048, image.image.size
    # pypdf lists a page's images by their resource names, not in reading order.
    assert max(psnr(image.data, filed["served_before"]) for image in images) >= 40
    assert len(pdf) < 1_500_000
    # The PDF for parents and staff is the same document.
    again = filed["client"].get(f"/api/reports/{filed['metadata']['report_id']}/pdf")
    assert again.status_code == 200 and again.data.count(b"/DCTDecode") == 2
    # Its print copies are kept beside the photos, made once (and deleted with them).
    prints = [k for k in stored_keys(app) if k.endswith(".print.jpg")]
    assert sorted(p.rsplit("/", 1)[1] for p in prints) == sorted(
        f"{sha(data)}.print.jpg" for data in (filed["webp"], filed["jpeg"])
    )
