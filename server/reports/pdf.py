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
from server.parents.sender import contact_lines, of_report
from server.photos.copies import print_bytes
from server.reports.chart import scaling_chart
from server.reports.pdf_kit import data_url, logo_url, making, render_pdf
from server.text import da


def report_pdf(report: Report, comments: Sequence[dict[str, Any]] = ()) -> bytes:
    """The PDF of one published version, with the parents' comments on it (from
    ``comments.as_filed``) at the end: everything else comes from the frozen snapshot."""
    snap: dict[str, Any] = report.snapshot
    # The photos are read before the layout: a store that cannot be read is a fault to try
    # again, not a document that cannot be made (pdf_kit.making). Their print copies are
    # JPEG, which the PDF carries as they are (DCTDecode), at the tablet's full size.
    photos = [
        data_url(print_bytes(photo["content_hash"]), "image/jpeg") for photo in snap["photos"]
    ]
    with making("report PDF"):
        sender = of_report(snap)
        return render_pdf(
            "documents/report.html",
            **print_context(sender, da.T["report_title"]),
            t=da.T,
            da=da,
            r=report,
            s=snap,
            parse=datetime.fromisoformat,
            parse_date=date.fromisoformat,
            chart=scaling_chart(snap.get("scaling")),
            story=da.STORY,
            photo_src=photos,
            comments=list(comments),
        )


def print_context(sender: dict[str, Any], title: str) -> dict[str, Any]:
    """What the print layout (documents/print.html) shows around every document: the sender
    at the top, whom to call at the end, the page number's words."""
    contact = contact_lines(sender)
    privacy = sender["municipality"]["privacy_url"]
    if privacy:
        contact.append(da.SENDER["privacy_mail"].format(url=privacy))
    before, _n, after = da.T["pdf_page"].partition("{n}")
    return {
        "title": title,
        "sender": sender,
        "logo": logo_url() if sender["municipality"]["name"] else None,
        "contact": contact,
        "da_sender": da.SENDER,
        "page_before": _css_string(before),
        "page_after": _css_string(after),
    }


def _css_string(text: str) -> str:
    """Catalogue words inside a CSS string (the page number's margin box)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')
