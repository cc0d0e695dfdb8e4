"""The report PDF's parts about the course as a whole: the scaling answers (as a table: the
PDF is read and filed, a table prints and copies well) and the parents' comments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from server.reports.pdf_kit import WIDTH, table
from server.reports.pdf_kit import paragraph as _p
from server.text import da

# A meeting's column: "Møde 5" and a value fit; the name takes the rest of the width (with
# the course's five meetings, 80 mm), never a width worked out from the texts themselves,
# which a long name pushed past the page (a negative width for the other columns).
VALUE_WIDTH = 18 * mm


def scaling(snap: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Any]:
    part = snap.get("scaling")
    if part is None:
        return []
    out: list[Any] = _p(da.STORY["scaling"], s["h2"]) + _p(
        da.STORY["scaling_question"].format(child=snap["child"]["first_name"]), s["body"]
    )
    if not part["series"]:
        return out + _p(da.STORY["scaling_none"], s["body"])
    head = [_p(da.STORY["scaling_who"], s["small"])] + [
        _p(da.STORY["scaling_meeting"].format(n=n + 1), s["small"]) for n in range(part["meetings"])
    ]
    rows = [head] + [
        [_p(f"{line['name']} ({da.ROLES.get(line['role'], '')})", s["body"])]
        + [_p(da.T["dash"] if v is None else str(v), s["body"]) for v in line["values"]]
        for line in part["series"]
    ]
    values = min(VALUE_WIDTH, WIDTH / 2 / part["meetings"])
    return [*out, table(rows, [WIDTH - values * part["meetings"]] + [values] * part["meetings"])]


def comments(items: Sequence[dict[str, Any]], s: dict[str, ParagraphStyle]) -> list[Any]:
    if not items:
        return []
    out: list[Any] = _p(da.STORY["comments_pdf"], s["h2"])
    for item in items:
        when = da.when(datetime.fromisoformat(item["written_at"]))
        out += _p(da.STORY["comment_by"].format(who=item["guardian"], when=when), s["small"])
        out += _p(item["text"], s["body"])
    return out
