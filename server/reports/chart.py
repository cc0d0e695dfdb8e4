"""The scaling answers as a small chart for the parents' report: inline SVG geometry made
here, drawn by the template (no JavaScript) and by the PDF, with a table of the same answers.

Each person is told apart without colour (issue 21): a marker shape and a dash pattern of
their own, by their place in the series — never by role, so a mother and a father differ —
and a legend naming each beside their marker. Points of several people on the same answer
at one meeting sit side by side (an offset just wider than a marker) and have a white
outline, so none hides another. The axes say what they are: "Møde" and the 0 to 10 scale.
The tablet draws the same (pwa/src/ui/ScalingChart.tsx: keep the two in step).

Made from the report's frozen snapshot only, so a published version always shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.text import catalogue

WIDTH = 320
LEFT, RIGHT, TOP = 34, 14, 10
PLOT_HEIGHT = 130  # from the 10 line to the 0 line
AXIS_SPACE = 34  # meeting numbers and "Møde" under the plot
LEGEND_ROW = 16
# Per person, in series order: colour (dark enough for lines on white), dash, marker.
COLORS = ("#0b5cad", "#b5361c", "#2f7d32", "#6b3fa0", "#8a5a00", "#555f66")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle_down", "cross")
# How far apart the points of different people on one meeting sit (in the viewBox).
DODGE = 9.0


def marker_points(shape: str, x: float, y: float, r: float = 4.5) -> list[tuple[float, float]]:
    """A marker centred on (x, y) as a polygon (y down, as in SVG); [] for the circle."""
    if shape == "circle":
        return []
    if shape == "square":
        s = r * 0.85
        return [(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)]
    if shape == "triangle":
        return [(x, y - r * 1.1), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    if shape == "triangle_down":
        return [(x, y + r * 1.1), (x + r, y - r * 0.8), (x - r, y - r * 0.8)]
    if shape == "diamond":
        return [(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)]
    w = r * 0.4  # "cross": a plus sign with body
    return [
        (x - w, y - r), (x + w, y - r), (x + w, y - w), (x + r, y - w),
        (x + r, y + w), (x + w, y + w), (x + w, y + r), (x - w, y + r),
        (x - w, y + w), (x - r, y + w), (x - r, y - w), (x - w, y - w),
    ]  # fmt: skip


def marker_path(shape: str, x: float, y: float, r: float = 4.5) -> str:
    """The marker as an SVG path."""
    points = marker_points(shape, x, y, r)
    if not points:
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    return "M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in points) + "Z"


@dataclass(frozen=True)
class Line:
    name: str
    role: str
    values: list[int | None]
    color: str
    dash: str
    marker: str
    points: list[tuple[float, float]]
    legend: tuple[float, float]  # where its legend's marker sits
    lang: str = "da"  # the language of its legend's role

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)

    @property
    def label(self) -> str:
        """The legend's words: the name and the role ("Mette Jensen (Forælder)")."""
        role = catalogue(self.lang).ROLES.get(self.role, "")
        return f"{self.name} ({role})" if role else self.name

    def marker_at(self, x: float, y: float, r: float = 4.5) -> str:
        return marker_path(self.marker, x, y, r)

    @property
    def markers(self) -> list[str]:
        return [self.marker_at(x, y) for x, y in self.points]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: list[Line]
    grid: list[tuple[int, float]]  # (value, y)
    columns: list[tuple[int, float]]  # (meeting number, x)
    bottom: float  # the baseline of the meeting numbers
    axis_title: float  # the baseline of "Møde"
    left: float
    right: float
    plot_bottom: float
    lang: str = "da"  # the language of its words


def scaling_chart(scaling: dict[str, Any] | None, lang: str = "da") -> Chart | None:
    """The chart of a snapshot's ``scaling`` part, its words in ``lang``; None when nobody
    has answered."""
    if not scaling or not scaling.get("series"):
        return None
    count = max(1, int(scaling["meetings"]))
    series = scaling["series"]
    margin = DODGE * len(series) / 2  # room for the offsets at the ends
    inner = WIDTH - LEFT - RIGHT - 2 * margin
    plot_bottom = TOP + PLOT_HEIGHT

    def x(i: int) -> float:
        return LEFT + margin + (inner / 2 if count == 1 else i * inner / (count - 1))

    def offset(n: int, i: int) -> float:
        """Side by side: the people who gave meeting i the same answer as person n."""
        value = series[n]["values"][i]
        same = [m for m, other in enumerate(series) if other["values"][i] == value]
        return (same.index(n) - (len(same) - 1) / 2) * DODGE

    def y(v: int) -> float:
        return TOP + (10 - v) * PLOT_HEIGHT / 10

    legend_top = plot_bottom + AXIS_SPACE + 8
    lines = []
    for n, serie in enumerate(series):
        points = [
            (x(i) + offset(n, i), y(v)) for i, v in enumerate(serie["values"]) if v is not None
        ]
        lines.append(
            Line(
                serie["name"],
                serie["role"],
                list(serie["values"]),
                COLORS[n % len(COLORS)],
                DASHES[n % len(DASHES)],
                MARKERS[n % len(MARKERS)],
                points,
                (LEFT + 8, legend_top + n * LEGEND_ROW),
                lang,
            )
        )
    return Chart(
        WIDTH,
        int(legend_top + len(series) * LEGEND_ROW),
        lines,
        [(v, y(v)) for v in range(0, 11, 2)],
        [(i + 1, x(i)) for i in range(count)],
        plot_bottom + 14,
        plot_bottom + 28,
        LEFT,
        WIDTH - RIGHT,
        plot_bottom,
        lang,
    )
