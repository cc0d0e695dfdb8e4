"""The report as a PDF: what parents download and what is filed.

Made from the frozen snapshot with the parents' page's own template
(documents/report_body.html), so the page, the parents' copy and the filed copy are the
same document. Printed by WeasyPrint as tagged PDF/A-2b (pdf_kit).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from server.models import Report
from server.models._common import HOUSE_PARTS
from server.parents.sender import contact_lines, of_report
from server.photos.copies import print_bytes
from server.reports.chart import scaling_chart
from server.reports.pdf_kit import data_url, logo_url, making, render_pdf
from server.text import catalogue
from server.text.words import page_words


def report_pdf(report: Report, comments: Sequence[dict[str, Any]] = (), lang: str = "da") -> bytes:
    """The PDF of one published version, with the parents' comments on it (from
    ``comments.as_filed``) at the end: everything else comes from the frozen snapshot. Its
    words are in ``lang`` (a parent's choice, issue 21; the filed copy is Danish)."""
    snap: dict[str, Any] = report.snapshot
    # The photos are read before the layout: a store that cannot be read is a fault to try
    # again, not a document that cannot be made (pdf_kit.making). Their print copies are
    # JPEG, which the PDF carries as they are (DCTDecode), at the tablet's full size.
    photos = [
        data_url(print_bytes(photo["content_hash"]), "image/jpeg") for photo in snap["photos"]
    ]
    houses = snap.get("houses") or {}  # only there when shared with the parents
    house_src = {
        p["id"]: data_url(print_bytes(p["content_hash"]), "image/jpeg")
        for part in HOUSE_PARTS
        for p in houses.get(part, {}).get("photos", [])
    }
    with making("report PDF"):
        sender = of_report(snap)
        words = catalogue(lang)
        return render_pdf(
            "documents/report.html",
            # The page's words, then the print layout's (both name the sender's words).
            **{**page_words(lang), **print_context(sender, words.T["report_title"], lang)},
            r=report,
            s=snap,
            parse=datetime.fromisoformat,
            parse_date=date.fromisoformat,
            chart=scaling_chart(snap.get("scaling"), lang),
            photo_src=photos,
            house_src=house_src,
            comments=list(comments),
        )


def print_context(sender: dict[str, Any], title: str, lang: str = "da") -> dict[str, Any]:
    """What the print layout (documents/print.html) shows around every document, in
    ``lang``: the sender at the top, whom to call at the end, the page number's words."""
    words = catalogue(lang)
    contact = contact_lines(sender, lang)
    privacy = sender["municipality"]["privacy_url"]
    if privacy:
        contact.append(words.SENDER["privacy_mail"].format(url=privacy))
    before, _n, after = words.T["pdf_page"].partition("{n}")
    return {
        "lang": lang,
        "title": title,
        "sender": sender,
        "logo": logo_url() if sender["municipality"]["name"] else None,
        "contact": contact,
        "da_sender": words.SENDER,
        "page_before": _css_string(before),
        "page_after": _css_string(after),
    }


def _css_string(text: str) -> str:
    """Catalogue words inside a CSS string (the page number's margin box)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')
