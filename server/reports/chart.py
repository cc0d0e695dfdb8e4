"""The scaling answers as a small chart for the parents' report: inline SVG geometry made
here, drawn by the template (no JavaScript), with a table of the same answers beside it.

Made from the report's frozen snapshot only, so a published version always shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 28, 12, 10, 26
# A colour per role, and a dash pattern too, so lines are told apart without colour.
STYLES = {
    "guardian": ("#0b5cad", ""),
    "child": ("#b5361c", ""),
    "educator": ("#2f7d32", "6 3"),
    "family_unit": ("#6b3fa0", "2 3"),
    "psychologist": ("#8a5a00", "8 3 2 3"),
    "other": ("#555f66", "4 4"),
}


@dataclass(frozen=True)
class Line:
    name: str
    role: str
    values: list[int | None]
    color: str
    dash: str
    points: list[tuple[float, float]]

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: list[Line]
    grid: list[tuple[int, float]]  # (value, y)
    columns: list[tuple[int, float]]  # (meeting number, x)
    bottom: float


def scaling_chart(scaling: dict[str, Any] | None) -> Chart | None:
    """The chart of a snapshot's ``scaling`` part; None when nobody has answered."""
    if not scaling or not scaling.get("series"):
        return None
    count = max(1, int(scaling["meetings"]))

    def x(i: int) -> float:
        return LEFT + (0 if count == 1 else i * (WIDTH - LEFT - RIGHT) / (count - 1))

    def y(v: int) -> float:
        return TOP + (10 - v) * (HEIGHT - TOP - BOTTOM) / 10

    lines = []
    for serie in scaling["series"]:
        color, dash = STYLES.get(serie["role"], STYLES["other"])
        points = [(x(i), y(v)) for i, v in enumerate(serie["values"]) if v is not None]
        lines.append(Line(serie["name"], serie["role"], list(serie["values"]), color, dash, points))
    return Chart(
        WIDTH,
        HEIGHT,
        lines,
        [(v, y(v)) for v in (0, 5, 10)],
        [(i + 1, x(i)) for i in range(count)],
        HEIGHT - 8,
    )
