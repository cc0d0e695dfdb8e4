"""The report as a PDF (ReportLab): what parents download and what is filed.

Made from the frozen snapshot, so the parents' copy and the filed copy are the same document.
The font is Bitstream Vera, which ReportLab ships: embedded, so every Danish letter prints and
the text can be searched and copied.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from server.models import Report
from server.reports import da
from server.reports import pdf_story as story_parts
from server.reports.photos import print_bytes

_FONTS = Path(reportlab.__file__).parent / "fonts"
_registered = False


def register_fonts() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont("Vera", str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("Vera-Bold", str(_FONTS / "VeraBd.ttf")))
        _registered = True


def styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName="Vera", fontSize=10.5, leading=14)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName="Vera-Bold", fontSize=18,
                                leading=22, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=body, fontName="Vera-Bold", fontSize=13, leading=17,
                             spaceBefore=10, spaceAfter=4),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11,
                                textColor=colors.HexColor("#555555")),
    }


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """Plain text (escaped; line breaks kept) as a paragraph."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def report_pdf(report: Report, comments: Sequence[dict[str, Any]] = ()) -> bytes:
    """The PDF of one published version, with the parents' comments on it (from
    ``comments.as_filed``) at the end: everything else comes from the frozen snapshot."""
    register_fonts()
    s = styles()
    snap: dict[str, Any] = report.snapshot
    meeting = snap["meeting"]
    story: list[Any] = [
        paragraph(da.T["report_title"], s["title"]),
        paragraph(da.T["about"].format(child=f"{snap['child']['first_name']} "
                                      f"{snap['child']['last_name']}"), s["h2"]),
        paragraph(f"{da.MEETING_KINDS.get(meeting['kind'], '')}. {_held(meeting)}", s["body"]),
    ]
    if report.number > 1:
        corrected = da.T["corrected"].format(when=da.when(report.published_at))
        story.append(paragraph(corrected, s["body"]))
    story += _review(snap, s) + _participants(snap, s) + _board(snap, s) + _photos(snap, s)
    story += _agreements(snap, s) + _next(snap, s)
    if snap.get("minutes"):
        story += [paragraph("Referat", s["h2"]), paragraph(snap["minutes"], s["body"])]
    story += story_parts.scaling(snap, s) + story_parts.comments(comments, s)
    story += [Spacer(1, 8 * mm), paragraph(da.T["pdf_made"].format(
        when=da.when(report.published_at), version=report.number), s["small"])]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm,
                            title=da.T["report_title"], author="Trivsel", lang="da")
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def _footer(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont("Vera", 8)
    canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, da.T["pdf_page"].format(n=doc.page))
    canvas.restoreState()


def _held(meeting: dict[str, Any]) -> str:
    """When the meeting was held: finished at the table (held_at), else its planned time."""
    place = f", {meeting['place']}" if meeting["place"] else ""
    starts = datetime.fromisoformat(meeting["starts_at"]).astimezone(da.LOCAL)
    if not meeting.get("held_at"):
        return da.T["held"].format(when=da.when(starts), place=place)
    held = datetime.fromisoformat(meeting["held_at"]).astimezone(da.LOCAL)
    text = da.STORY["held_at"].format(day=da.day(held.date()), time=f"{held:%H.%M}", place=place)
    if held.date() != starts.date():
        text += " " + da.STORY["planned"].format(when=da.when(starts))
    return text


def _review(snap: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Any]:
    review = snap.get("review")
    if not review:
        return []
    out: list[Any] = [paragraph(da.STORY["review"], s["h2"])]
    if not review["agreements"]:
        return [*out, paragraph(da.STORY["no_review"], s["body"])]
    when = da.day(datetime.fromisoformat(review["starts_at"]).astimezone(da.LOCAL).date())
    out.append(paragraph(da.STORY["review_intro"].format(when=when), s["body"]))
    items: list[Any] = [ListItem(paragraph(
        f"{a['what']} ({da.OWNERS.get(a['owner'], '')}): "
        f"{da.OUTCOMES.get(a['outcome'], da.OUTCOMES[None])}", s["body"]))
        for a in review["agreements"]]
    return [*out, ListFlowable(items, bulletType="bullet", leftIndent=12)]


def _participants(snap: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [paragraph(da.T["participants"], s["h2"])]
    for person in snap["participants"]:
        state = da.T["present"] if person["present"] else da.T["absent"]
        role = da.ROLES.get(person["role"], "")
        out.append(paragraph(f"{person['name']} ({role}) {da.T['dash']} {state}", s["body"]))
    if snap.get("child_participation"):
        out.append(paragraph(da.PARTICIPATION[snap["child_participation"]] + ".", s["body"]))
    if snap.get("child_perspective"):
        out += [paragraph(da.T["child_perspective"], s["h2"]),
                paragraph(snap["child_perspective"], s["body"])]
    return out


def _board(snap: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [paragraph(da.T["board"], s["h2"])]
    for column, notes in snap["columns"].items():
        out.append(paragraph(da.COLUMNS[column], s["h2"]))
        if notes:
            items: list[Any] = [ListItem(paragraph(n, s["body"])) for n in notes]
            out.append(ListFlowable(items, bulletType="bullet", leftIndent=12))
        else:
            out.append(paragraph(da.T["no_notes"], s["body"]))
    return out


def _photos(snap: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Any]:
    if not snap["photos"]:
        return []
    out: list[Any] = [paragraph(da.T["photos"], s["h2"])]
    width = A4[0] - 40 * mm
    for photo in snap["photos"]:
        img = Image(io.BytesIO(print_bytes(photo["content_hash"])))
        scale = min(width / img.imageWidth, (120 * mm) / img.imageHeight)
        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
        parts: list[Any] = [img]
        if photo.get("caption"):
            parts.append(paragraph(photo["caption"], s["small"]))
        out.append(KeepTogether(parts))
        out.append(Spacer(1, 4 * mm))
    return out


def _agreements(snap: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [paragraph(da.T["agreements"], s["h2"])]
    if not snap["agreements"]:
        return [*out, paragraph(da.T["no_agreements"], s["body"])]
    rows = [[paragraph(h, s["small"]) for h in (da.T["agreements"], da.T["owner"], da.T["due"])]]
    for item in snap["agreements"]:
        due = da.day(date.fromisoformat(item["due_date"])) if item.get("due_date") else ""
        rows.append([paragraph(item["what"], s["body"]), paragraph(da.OWNERS.get(item["owner"], ""),
                                                     s["body"]), paragraph(due, s["body"])])
    table = Table(rows, colWidths=[95 * mm, 40 * mm, 35 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
    ]))
    return [*out, table]


def _next(snap: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Any]:
    nxt = snap.get("next_meeting")
    text = da.T["no_next"]
    if nxt:
        place = f", {nxt['place']}" if nxt.get("place") else ""
        text = da.when(datetime.fromisoformat(nxt["starts_at"])) + place
    return [paragraph(da.T["next_meeting"], s["h2"]), paragraph(text, s["body"])]
