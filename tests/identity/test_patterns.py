"""The leak tests' search reads what a person would: a number printed in a PDF (whose page
streams are compressed) or filed in a zip is found, as it is in plain text."""

from __future__ import annotations

import io
import zipfile

from markupsafe import escape
from weasyprint import HTML

from tests.identity.patterns import cpr_numbers_in

NUMBER = "2103851234"


def _pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` printed on it (compressed, as WeasyPrint writes them)."""
    pdf = HTML(string=f"<p>{escape(text)}</p>").write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def test_a_number_printed_in_a_pdf_or_filed_in_a_zip_is_found() -> None:
    pdf = _pdf(f"Barnets CPR-nummer: {NUMBER[:6]}-{NUMBER[6:]}")
    assert NUMBER[:6].encode() not in pdf  # compressed: the raw bytes alone hide it
    assert cpr_numbers_in(pdf, [NUMBER]) == [NUMBER]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("report.pdf", pdf)
    assert cpr_numbers_in(archive.getvalue(), [NUMBER]) == [NUMBER]
    assert cpr_numbers_in(_pdf("Ingen numre her"), [NUMBER]) == []
