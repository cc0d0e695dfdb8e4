"""One document, made once, fit for an archive (issue 22): the report and the agenda letter
are each one template, printed by WeasyPrint as tagged PDF/A-2b. Read here as an archive
would (pikepdf: the PDF/A identification in the XMP metadata, the structure tree, the
language, the figures' alternative text) and as a reader would (pdftotext: reading order)."""

from __future__ import annotations

import io
import re
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from flask import Flask

import server
from server.reports.pdf_kit import data_url, write_pdf
from tests.harness import ApiClient
from tests.server.courses import BOARD, follow_up_with_board
from tests.server.reporting import fill_meeting, invitation_links, phone, publish
from tests.server.world import created


@pytest.fixture
def familie(as_user: Any) -> ApiClient:
    client: ApiClient = as_user("familie")
    return client


@pytest.fixture
def published(app: Flask, familie: ApiClient, demo: dict[str, Any]) -> dict[str, Any]:
    """A finished meeting with notes in all three columns, an agreement, a photo and a
    scaling answer, published; its report as staff download it and as the mother's page."""
    meeting = demo["meeting"]
    person = created(
        familie.post(
            "/api/participants",
            {"meeting_id": meeting, "name": "Mette Jensen", "role": "guardian", "present": True},
        )
    )
    created(
        familie.post(
            "/api/scaling-answers",
            {
                "meeting_id": meeting,
                "participant_id": person["id"],
                "role": "guardian",
                "name": "Mette Jensen",
                "value": 6,
            },
        )
    )
    fill_meeting(familie, meeting)
    report = created(publish(familie, meeting))
    pdf = familie.get(f"/api/reports/{report['id']}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    page = mor.get(f"/p/reports/{meeting}")
    assert page.status_code == 200
    return {"pdf": pdf.data, "page": page.get_data(as_text=True), "meeting": meeting}


def text_of(pdf: bytes) -> str:
    """The PDF's text in reading order, as poppler's pdftotext gives it (one space between
    words, so that a line broken by the layout still reads as its words)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def in_order(text: str, parts: list[str]) -> bool:
    """Each part found in ``text`` after the one before it."""
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def archival(pdf: bytes) -> dict[str, Any]:
    """What an archive checks: the PDF/A part and conformance in the XMP metadata, the
    structure tree, the language, and the alternative text of each figure."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta = doc.open_metadata()
        figures = []
        stack = [doc.Root.StructTreeRoot] if "/StructTreeRoot" in doc.Root else []
        while stack:
            item = stack.pop()
            if isinstance(item, pikepdf.Array):
                stack.extend(item)
            elif isinstance(item, pikepdf.Dictionary):
                if item.get("/S") == pikepdf.Name.Figure:
                    figures.append(str(item.get("/Alt", "")))
                if "/K" in item:
                    stack.append(item.K)
        return {
            "part": meta.get("pdfaid:part"),
            "conformance": meta.get("pdfaid:conformance"),
            "tagged": "/StructTreeRoot" in doc.Root
            and "/MarkInfo" in doc.Root
            and bool(doc.Root.MarkInfo.get("/Marked")),
            "lang": str(doc.Root.get("/Lang", "")),
            "figures": figures,
        }


def test_the_report_is_a_tagged_pdf_a_2b_in_danish_with_alt_text_on_photo_and_chart(
    published: dict[str, Any],
) -> None:
    found = archival(published["pdf"])
    assert (found["part"], found["conformance"]) == ("2", "B")
    assert found["tagged"] and found["lang"] == "da"
    # The municipality's logo, the board photo (its caption) and the chart (what it shows,
    # and that the table under it says the same): none without words.
    figures = found["figures"]
    assert "Tavlen" in figures
    assert any(alt.startswith("Svarene") or "Emma" in alt for alt in figures), figures
    assert len(figures) == 3 and all(alt.strip() for alt in figures), figures


def test_the_report_reads_in_order_heading_then_the_three_columns(
    published: dict[str, Any],
) -> None:
    text = text_of(published["pdf"])
    assert in_order(
        text,
        [
            "Rapport",
            "Det der bekymrer",
            "worries note",
            "Det der fungerer",
            "working note",
            "Det vi vil se ske",
            "next_steps note",
            "Pædagogen inviterer til leg",
        ],
    ), text


def test_the_page_and_the_pdf_are_one_document(published: dict[str, Any]) -> None:
    """Every heading of the parents' report page is in the PDF, in the page's order: one
    template makes both (documents/report_body.html), so they cannot drift."""
    page = published["page"]
    report = page[page.index("<main>") : page.index('<section id="comments"')]
    headings = [
        " ".join(unescape(re.sub(r"<[^>]+>", "", h)).split())
        for h in re.findall(r"<h[123][^>]*>(.*?)</h[123]>", report, re.S)
    ]
    assert len(headings) >= 8, headings
    assert in_order(text_of(published["pdf"]), headings), headings


def test_the_agenda_letter_is_a_tagged_pdf_a_2b_in_danish_read_in_order(
    familie: ApiClient, demo: dict[str, Any]
) -> None:
    meeting = demo["meeting"]
    points = "Velkomst\nSådan går det hjemme\nAftaler"
    assert familie.patch(f"/api/meetings/{meeting}", {"agenda": points}).status_code == 200
    resp = familie.get(f"/api/meetings/{meeting}/agenda.pdf")
    assert resp.status_code == 200
    found = archival(resp.data)
    assert (found["part"], found["conformance"]) == ("2", "B")
    assert found["tagged"] and found["lang"] == "da"
    assert all(alt.strip() for alt in found["figures"])
    text = text_of(resp.data)
    assert in_order(
        text, ["Dagsorden", "Det taler vi om", "Velkomst", "Sådan går det hjemme", "Aftaler"]
    ), text


def test_the_agenda_letters_page_and_its_pdf_are_one_letter(
    app: Flask, familie: ApiClient, demo: dict[str, Any]
) -> None:
    """The parents read the letter on a page and as PDF (/p/letters): one template makes
    both (documents/agenda_body.html): every heading and point of the page, in its order."""
    follow = follow_up_with_board(familie, demo)
    assert familie.post(f"/api/meetings/{follow}/agenda/send").status_code == 200
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    listing = mor.get("/p/letters").get_data(as_text=True)
    assert f'href="/p/letters/{follow}"' in listing
    page = mor.get(f"/p/letters/{follow}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    letter = html[html.index("<main>") : html.index("</main>")]
    parts = [
        " ".join(unescape(re.sub(r"<[^>]+>", "", h)).split())
        for h in re.findall(r"<(?:h[12]|li)[^>]*>(.*?)</(?:h[12]|li)>", letter, re.S)
    ]
    assert BOARD[0] in parts and len(parts) >= 8, parts
    pdf = mor.get(f"/p/letters/{follow}.pdf")
    assert pdf.status_code == 200
    assert in_order(text_of(pdf.data), parts), parts


def test_a_document_reads_no_file_nor_address_but_its_fonts(app: Flask) -> None:
    """WeasyPrint's fetcher (pdf_kit._LocalOnly) reads the fonts of PDF_FONT_DIR and data:
    URLs only: a picture from a file (even one reached through the font folder) or from the
    network is left out, the document still made."""
    logo = Path(server.__file__).parent / "parents" / "demo-logo.png"
    fonts = Path(app.config["PDF_FONT_DIR"])
    through_fonts = f"{fonts.as_uri()}/{'../' * len(fonts.parts)}{str(logo).lstrip('/')}"
    sources = [logo.as_uri(), through_fonts, "http://127.0.0.1:9/logo.png"]
    pictures = "".join(f'<img src="{src}" alt="{n}">' for n, src in enumerate(sources))
    with app.test_request_context():
        pdf = write_pdf(
            f'<html lang="da"><title>x</title><body><p>Tekst</p>{pictures}</body></html>'
        )
        # The same picture as data is printed: the fetcher, not the picture, left it out.
        shown = data_url(logo.read_bytes(), "image/png")
        control = write_pdf(f'<html lang="da"><title>x</title><img src="{shown}" alt="x">')
    assert _images(pdf) == 0 and _images(control) == 1
    assert "Tekst" in text_of(pdf)


def _images(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return sum(len(page.images) for page in doc.pages[:1])
