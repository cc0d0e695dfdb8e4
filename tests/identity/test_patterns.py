"""The leak tests' search reads what a person would: a number printed in a PDF (whose page
streams are compressed) or filed in a zip is found, as it is in plain text."""

from __future__ import annotations

import io
import zipfile

from reportlab.pdfgen.canvas import Canvas

from tests.identity.patterns import cpr_numbers_in

NUMBER = "2103851234"


def _pdf(text: str) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1)
    canvas.drawString(72, 720, text)
    canvas.save()
    return out.getvalue()


def test_a_number_printed_in_a_pdf_or_filed_in_a_zip_is_found() -> None:
    pdf = _pdf(f"Barnets CPR-nummer: {NUMBER[:6]}-{NUMBER[6:]}")
    assert NUMBER[:6].encode() not in pdf  # compressed: the raw bytes alone hide it
    assert cpr_numbers_in(pdf, [NUMBER]) == [NUMBER]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("report.pdf", pdf)
    assert cpr_numbers_in(archive.getvalue(), [NUMBER]) == [NUMBER]
    assert cpr_numbers_in(_pdf("Ingen numre her"), [NUMBER]) == []
