"""The report PDF's parts about the course as a whole: the scaling answers (the chart the
parents' page draws, from the same geometry, server/reports/chart.py, and a table: the PDF
is read and filed, a table prints and copies well) and the parents' comments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from server.reports.chart import Chart, marker_points, scaling_chart
from server.reports.pdf_kit import WIDTH, fonts, table
from server.reports.pdf_kit import paragraph as _p
from server.text import catalogue
from server.text.catalogue import Catalogue

# A meeting's column: "Møde 5" and a value fit; the name takes the rest of the width (with
# the course's five meetings, 80 mm), never a width worked out from the texts themselves,
# which a long name pushed past the page (a negative width for the other columns).
VALUE_WIDTH = 18 * mm
Anchor = Literal["start", "middle", "end"]


def scaling(snap: dict[str, Any], s: dict[str, ParagraphStyle], w: Catalogue) -> list[Any]:
    part = snap.get("scaling")
    if part is None:
        return []
    out: list[Any] = _p(w.STORY["scaling"], s["h2"]) + _p(
        w.STORY["scaling_question"].format(child=snap["child"]["first_name"]), s["body"]
    )
    if not part["series"]:
        return out + _p(w.STORY["scaling_none"], s["body"])
    head = [_p(w.STORY["scaling_who"], s["small"])] + [
        _p(w.STORY["scaling_meeting"].format(n=n + 1), s["small"]) for n in range(part["meetings"])
    ]
    rows = [head] + [
        [_p(f"{line['name']} ({w.ROLES.get(line['role'], '')})", s["body"])]
        + [_p(w.T["dash"] if v is None else str(v), s["body"]) for v in line["values"]]
        for line in part["series"]
    ]
    values = min(VALUE_WIDTH, WIDTH / 2 / part["meetings"])
    chart = scaling_chart(part, w.T["lang"])
    drawn = [drawing(chart, snap["meeting"]["number"])] if chart is not None else []
    return [
        *out,
        *drawn,
        table(rows, [WIDTH - values * part["meetings"]] + [values] * part["meetings"]),
    ]


def drawing(chart: Chart, current: int) -> Drawing:
    """The chart as the parents' page draws it (markers, dashes, legend, axis titles), at
    most 120 mm wide; printed in grey it is still told apart by marker and dash."""
    scale = min(120 * mm, WIDTH) / chart.width
    regular, bold = fonts()
    out = Drawing(chart.width * scale, chart.height * scale)
    w = catalogue(chart.lang)

    def at(x: float, y: float) -> tuple[float, float]:  # SVG's y runs down, the PDF's up
        return x * scale, (chart.height - y) * scale

    def text(
        x: float, y: float, words: str, anchor: Anchor = "middle", font: str = regular
    ) -> None:
        out.add(String(*at(x, y), words, fontName=font, fontSize=8, textAnchor=anchor))

    for value, y in chart.grid:
        grey = colors.HexColor("#8a949b" if value in (0, 10) else "#e3e7ea")
        out.add(Line(*at(chart.left, y), *at(chart.right, y), strokeColor=grey))
        text(chart.left - 6, y + 3, str(value), "end")
    for n, x in chart.columns:
        text(x, chart.bottom, str(n), font=bold if n == current else regular)
    text((chart.left + chart.right) / 2, chart.axis_title, w.STORY["scaling_axis_meeting"])
    middle = (chart.grid[0][1] + chart.grid[-1][1]) / 2
    axis = Group(
        String(
            0, 0, w.STORY["scaling_axis_value"], fontName=regular, fontSize=8, textAnchor="middle"
        )
    )
    axis.translate(*at(11, middle))
    axis.rotate(90)  # read from below, as the page's
    out.add(axis)
    for line in chart.lines:
        color = colors.HexColor(line.color)
        dash = [float(d) * scale for d in line.dash.split()]
        dashed: dict[str, Any] = {"strokeDashArray": dash} if dash else {}
        flat = [c for x, y in line.points for c in at(x, y)]
        if len(line.points) > 1:
            out.add(PolyLine(flat, strokeColor=color, strokeWidth=2 * scale, **dashed))
        for x, y in line.points:
            _marker(out, line.marker, at, x, y, color)
        lx, ly = line.legend
        out.add(Line(*at(lx - 8, ly), *at(lx + 8, ly), strokeColor=color, **dashed))
        _marker(out, line.marker, at, lx, ly, color)
        text(lx + 14, ly + 3, line.label, "start")
    return out


def _marker(out: Drawing, shape: str, at: Any, x: float, y: float, color: Any) -> None:
    points = marker_points(shape, x, y)
    white = colors.white
    if not points:
        cx, cy = at(x, y)
        out.add(Circle(cx, cy, 4.5 * at(1, 0)[0], fillColor=color, strokeColor=white))
        return
    flat = [c for px, py in points for c in at(px, py)]
    out.add(Polygon(flat, fillColor=color, strokeColor=white, strokeWidth=1))


def comments(
    items: Sequence[dict[str, Any]], s: dict[str, ParagraphStyle], w: Catalogue
) -> list[Any]:
    if not items:
        return []
    out: list[Any] = _p(w.STORY["comments_pdf"], s["h2"])
    for item in items:
        when = w.when(datetime.fromisoformat(item["written_at"]))
        out += _p(w.STORY["comment_by"].format(who=item["guardian"], when=when), s["small"])
        out += _p(item["text"], s["body"])
    return out
