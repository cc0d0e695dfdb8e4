"""Course documents, on the filesystem and on S3: only real, passive PDFs and images within
the pixel limit, stored without metadata under safe names, access-checked for staff, and
shared with the guardians only when staff say so."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from server.courses.filenames import content_disposition, safe_filename
from server.courses.pdf_check import sanitize_pdf
from tests.documents import active_pdfs, html_in_pdf_clothes, plain_pdf, what_acts
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, invitation_links, phone, publish
from tests.server.stores import app_config, stored_keys
from tests.server.world import created
from tests.sync.images import has_gps, huge_png, photo, pixels

__all__ = ["app_config"]  # both stores for every test here

PDF = plain_pdf()
SERVED = sanitize_pdf(PDF)  # what is stored and served: qpdf's rewrite, never the upload


def attach(
    client: ApiClient,
    course: str,
    data: bytes,
    name: str,
    title: str = "TOPI",
    shared: bool = False,
) -> Any:
    return client.post(
        f"/api/courses/{course}/attachments",
        data={
            "file": (io.BytesIO(data), name),
            "title": title,
            "kind": "topi",
            "shared_with_guardians": "true" if shared else "false",
        },
        content_type="multipart/form-data",
    )


def test_pdfs_and_images_are_accepted_and_images_lose_their_location(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    pdf = attach(familie, demo["course"], PDF, "topi.pdf")
    assert pdf.status_code == 201, pdf.get_json()
    assert pdf.get_json()["content_type"] == "application/pdf"
    image = photo(with_gps=True)
    assert has_gps(image)
    jpeg = created(
        attach(familie, demo["course"], image, "ressourcevurdering.jpg", "Ressourcevurdering")
    )
    stored = familie.get(f"/api/attachments/{jpeg['id']}/file")
    assert stored.status_code == 200 and stored.headers["X-Content-Type-Options"] == "nosniff"
    assert not has_gps(stored.data)
    assert len(stored.data) <= len(image) and pixels(stored.data) == pixels(image)
    with Image.open(io.BytesIO(stored.data)) as img:
        assert img.size == (800, 600)
    titles = [
        a["title"] for a in familie.get(f"/api/courses/{demo['course']}/attachments").get_json()
    ]
    assert titles == ["TOPI", "Ressourcevurdering"]


def test_other_files_and_oversized_files_are_refused_with_a_reason(
    app: Flask, app_config: dict[str, Any], as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    for data, name in (
        (b"MZ\x90\x00 not a document", "topi.pdf"),
        (b"%PDF-1.4 cut off", "cut.pdf"),
        (b"GIF89a....", "x.gif"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "empty.pdf"),
        (html_in_pdf_clothes(), "topi.pdf"),
        (photo("WEBP"), "x.webp"),
    ):
        resp = attach(familie, demo["course"], data, name)
        assert resp.status_code == 422, name
        assert resp.get_json()["error"]["fields"]["file"], name
    untitled = familie.post(
        f"/api/courses/{demo['course']}/attachments",
        data={"file": (io.BytesIO(PDF), "topi.pdf")},
        content_type="multipart/form-data",
    )
    assert untitled.status_code == 422 and untitled.get_json()["error"]["fields"]["title"]
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    big = attach(familie, demo["course"], PDF + b"0" * 2000 + b"%%EOF", "big.pdf")
    assert big.status_code == 413 and big.get_json()["error"]["fields"]["file"]
    assert familie.get(f"/api/courses/{demo['course']}/attachments").get_json() == []


def test_documents_are_checked_per_record_for_staff(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    doc = created(attach(familie, demo["course"], PDF, "topi.pdf"))
    outsider = as_user("paedagog2")
    assert outsider.get(f"/api/attachments/{doc['id']}/file").status_code == 404
    assert outsider.get(f"/api/courses/{demo['course']}/attachments").status_code == 404
    assert attach(outsider, demo["course"], PDF, "x.pdf").status_code == 404
    assert outsider.patch(f"/api/attachments/{doc['id']}", {"title": "x"}).status_code == 404
    assert as_user("paedagog").get(f"/api/attachments/{doc['id']}/file").status_code == 200


def test_guardians_see_only_documents_shared_with_them(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    shared = created(
        attach(familie, demo["course"], PDF, "res.pdf", "Ressourcevurdering", shared=True)
    )
    private = created(attach(familie, demo["course"], plain_pdf("Notat"), "notat.pdf", "Internt"))
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    page = mor.get("/p/attachments").get_data(as_text=True)
    assert "Ressourcevurdering" in page and "Internt" not in page
    assert mor.get(f"/p/attachments/{shared['id']}").data == SERVED
    assert mor.get(f"/p/attachments/{private['id']}").status_code == 404
    assert app.test_client().get(f"/p/attachments/{shared['id']}").status_code == 404
    # Sharing is staff's decision, and can be taken back.
    familie.patch(f"/api/attachments/{shared['id']}", {"shared_with_guardians": False})
    assert mor.get(f"/p/attachments/{shared['id']}").status_code == 404


@pytest.mark.parametrize("kind", sorted(active_pdfs()))
def test_pdfs_that_would_act_when_opened_are_stored_without_what_acts(
    app: Flask, as_user: Any, demo: dict[str, Any], kind: str
) -> None:
    familie = as_user("familie")
    row = created(attach(familie, demo["course"], active_pdfs()[kind], "topi.pdf"))
    assert what_acts(active_pdfs()[kind])
    served = familie.get(f"/api/attachments/{row['id']}/file").data
    assert served == sanitize_pdf(active_pdfs()[kind]) and what_acts(served) == []
    assert len(stored_keys(app)) == 1


def test_an_image_with_too_many_pixels_is_refused_from_its_header(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    resp = attach(as_user("familie"), demo["course"], huge_png(), "scan.png")
    assert resp.status_code == 413
    error = resp.get_json()["error"]
    assert error["code"] == "too_many_pixels" and "10900 x 10900" in error["fields"]["file"][0]
    assert stored_keys(app) == []


@pytest.mark.parametrize(
    "sent,kept",
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("rapport\u202efdp.exe", "rapportfdp.exe.pdf"),  # a right-to-left override hid ".exe"
        ("...", "dokument.pdf"),
        ("Ærø " + "x" * 300 + ".pdf", "Ærø " + "x" * 112 + ".pdf"),
    ],
)
def test_file_names_are_made_safe(as_user: Any, demo: dict[str, Any], sent: str, kept: str) -> None:
    familie = as_user("familie")
    row = created(attach(familie, demo["course"], PDF, sent))
    assert row["filename"] == kept
    download = familie.get(f"/api/attachments/{row['id']}/file")
    assert download.headers["Content-Disposition"] == content_disposition(kept)
    assert download.data == SERVED


@pytest.mark.parametrize(
    "sent,content_type,kept",
    [
        ("C:\\Users\\mor\\Skrivebord\\TOPI.PDF", "application/pdf", "TOPI.pdf"),
        ("ressource\x00vurdering\r\n.pdf", "application/pdf", "ressourcevurdering.pdf"),
        ('a"; filename="evil.html', "application/pdf", "a'; filename='evil.html.pdf"),
        ("scan.JPEG", "image/jpeg", "scan.jpeg"),
        ("scan.pdf", "image/png", "scan.pdf.png"),  # named as the file really is
        ("con<>:|?*.pdf", "application/pdf", "con______.pdf"),
        (None, "application/pdf", "dokument.pdf"),
    ],
)
def test_names_from_any_system_are_cleaned(sent: str | None, content_type: str, kept: str) -> None:
    name = safe_filename(sent, content_type)
    assert name == kept
    header = content_disposition(name)
    assert header.count('"') == 2 and not any(ch in header for ch in "\r\n\x00")
    assert header.startswith('attachment; filename="') and "filename*=UTF-8''" in header
