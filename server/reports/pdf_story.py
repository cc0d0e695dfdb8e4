"""The report PDF's parts about the course as a whole: the scaling answers (as a table: the
PDF is read and filed, a table prints and copies well) and the parents' comments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from server.reports import da


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def scaling(snap: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Any]:
    part = snap.get("scaling")
    if part is None:
        return []
    out: list[Any] = [_p(da.STORY["scaling"], s["h2"]), _p(da.STORY["scaling_question"].format(
        child=snap["child"]["first_name"]), s["body"])]
    if not part["series"]:
        return [*out, _p(da.STORY["scaling_none"], s["body"])]
    head = [_p(da.STORY["scaling_who"], s["small"])] + [
        _p(da.STORY["scaling_meeting"].format(n=n + 1), s["small"])
        for n in range(part["meetings"])]
    rows = [head] + [
        [_p(f"{line['name']} ({da.ROLES.get(line['role'], '')})", s["body"])]
        + [_p(da.T["dash"] if v is None else str(v), s["body"]) for v in line["values"]]
        for line in part["series"]]
    table = Table(rows, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
    ]))
    return [*out, table]


def comments(items: Sequence[dict[str, Any]], s: dict[str, ParagraphStyle]) -> list[Any]:
    if not items:
        return []
    out: list[Any] = [_p(da.STORY["comments_pdf"], s["h2"])]
    for item in items:
        when = da.when(datetime.fromisoformat(item["written_at"]))
        out += [_p(da.STORY["comment_by"].format(who=item["guardian"], when=when), s["small"]),
                _p(item["text"], s["body"])]
    return out
