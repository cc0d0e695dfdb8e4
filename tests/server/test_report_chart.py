"""The scaling chart tells each person apart without colour (issue 21): a mother and a father
with the same role have different markers, dashes and legend lines; points on the same value
do not hide each other; the axes say what they are. The page's SVG and the PDF alike."""

from __future__ import annotations

import re
import subprocess
from typing import Any

from flask import Flask, render_template

from server.reports.chart import scaling_chart
from server.reports.pdf_kit import write_pdf
from server.text import da

SCALING = {
    "meetings": 3,
    "series": [
        {"role": "guardian", "name": "Mette Jensen", "values": [3, 5, 7]},
        {"role": "guardian", "name": "Lars Jensen", "values": [3, 5, 6]},
        {"role": "child", "name": "Emma", "values": [4, None, 7]},
    ],
}


def _svg(app: Flask, scaling: dict[str, Any]) -> str:
    with app.test_request_context():
        page = render_template(
            "parent/report_scaling.html",
            story=da.STORY,
            da=da,
            s={"child": {"first_name": "Emma"}, "meeting": {"number": 3}},
            chart=scaling_chart(scaling),
        )
    found = re.search(r"<svg viewBox.*?</svg>", page, re.S)
    assert found is not None
    return found.group(0)


def test_a_mother_and_a_father_are_told_apart_without_colour(app: Flask) -> None:
    svg = _svg(app, SCALING)
    series = re.findall(r'<g class="serie" data-marker="(\w+)" data-name="([^"]+)">', svg)
    assert [name for _m, name in series] == ["Mette Jensen", "Lars Jensen", "Emma"]
    markers = [m for m, _name in series]
    assert len(set(markers)) == 3  # a shape each, the two guardians' too
    legend = re.findall(r'<g class="legend" data-marker="(\w+)">.*?<text[^>]*>([^<]+)</text>', svg)
    assert legend == [
        (markers[0], "Mette Jensen (Forælder)"),
        (markers[1], "Lars Jensen (Forælder)"),
        (markers[2], "Emma (Barnet)"),
    ]
    # The two guardians' lines differ in dash too (printed in grey, or read by the colour-blind).
    dashes = re.findall(r'<polyline [^>]*?(?:stroke-dasharray="([^"]+)")?/>', svg)
    assert len(dashes) == 3 and dashes[0] != dashes[1]
    # Axes: the meetings and the 0 to 10 scale are named.
    assert ">Møde</text>" in svg and ">Svar fra 0 til 10</text>" in svg
    assert all(f">{v}</text>" in svg for v in (0, 10))


def test_people_on_the_same_value_do_not_hide_each_other(app: Flask) -> None:
    chart = scaling_chart(SCALING)
    assert chart is not None
    mother, father, _child = chart.lines
    # Both said 3 at the first meeting and 5 at the second: side by side, not on top.
    for at in (0, 1):
        (mx, my), (fx, fy) = mother.points[at], father.points[at]
        assert my == fy and abs(mx - fx) >= 3
    # Every marker is outlined in white, so one drawn over another still shows its edge.
    svg = _svg(app, SCALING)
    assert all('stroke="#fff"' in p for p in re.findall(r"<path [^>]+>", svg))


def test_the_pdf_draws_the_same_chart(app: Flask) -> None:
    """The PDF prints the page's own SVG (documents/report_body.html includes it): its words
    are text in the PDF, as a reader copies them (pdftotext)."""
    with app.test_request_context():
        scaling = render_template(
            "parent/report_scaling.html",
            story=da.STORY,
            da=da,
            s={"child": {"first_name": "Emma"}, "meeting": {"number": 3}},
            chart=scaling_chart(SCALING),
            print=True,
        )
        pdf = write_pdf(f'<html lang="da"><title>x</title><body>{scaling}</body></html>')
    words = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        "Mette Jensen (Forælder)",
        "Lars Jensen (Forælder)",
        "Møde",
        "Svar fra 0 til 10",
    ):
        assert expected in words, (expected, words)
