"""An iPad at the meeting table, for the browser tests of issue 12: its two orientations with
touch, real touch input through the browser's input pipeline (Chrome DevTools Protocol), a
course of its own made over HTTP, and the measurements of the layout."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, ViewportSize, expect

from tests.browser.report_world import new_course
from tests.browser.steps import sign_in, synced

PORTRAIT: ViewportSize = {"width": 820, "height": 1180}  # iPad Air 11", in CSS pixels
LANDSCAPE: ViewportSize = {"width": 1180, "height": 820}


@contextmanager
def ipad(browser: Browser, viewport: ViewportSize = PORTRAIT) -> Iterator[BrowserContext]:
    """A tablet: touch screen, mobile viewport handling, Danish, a 2x screen."""
    ctx = browser.new_context(
        viewport=viewport, has_touch=True, is_mobile=True, device_scale_factor=2, locale="da-DK"
    )
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


def course_on_tablet(page: Page, base: str, first_name: str) -> dict[str, Any]:
    """A new child and course led by the demo family-unit worker, with its start meeting
    open on the tablet (signed in as her)."""
    world = new_course(base, first_name)
    page.goto(base)
    sign_in(page, "familie@example.org")
    synced(page)
    page.get_by_role("button", name=f"{first_name} Opstartsmøde").click()
    expect(page.get_by_role("heading", name="Tavlen", exact=True)).to_be_visible()
    return world


def column(page: Page, key: str) -> Any:
    return page.locator(f".column-{key}")


def note(page: Page, text: str) -> Any:
    return page.locator(".note", has_text=text)


def add_note(page: Page, column_title: str, text: str) -> None:
    field = page.get_by_label(f"Ny note i «{column_title}»")
    field.fill(text)
    field.press("Enter")
    expect(note(page, text)).to_be_visible()


class Finger:
    """Touch input as a finger makes it: touchstart, touchmoves, touchend, dispatched by the
    browser's own input pipeline, so the page sees touch and pointer events (pointerType
    "touch") as on an iPad, and the browser's own panning and zooming apply."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.cdp: CDPSession = page.context.new_cdp_session(page)

    def _touch(self, kind: str, points: list[tuple[float, float]]) -> None:
        touches = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touches})

    def drag(
        self,
        start: tuple[float, float],
        end: tuple[float, float],
        steps: int = 12,
        hold_at_end: float = 0.0,
    ) -> None:
        self._touch("touchStart", [start])
        for i in range(1, steps + 1):
            f = i / steps
            self._touch(
                "touchMove",
                [(start[0] + (end[0] - start[0]) * f, start[1] + (end[1] - start[1]) * f)],
            )
            time.sleep(0.016)
        if hold_at_end:
            time.sleep(hold_at_end)
        self._touch("touchEnd", [])

    def pinch(
        self, centre: tuple[float, float], start_gap: float, end_gap: float, steps: int = 10
    ) -> None:
        """Two fingers moving apart (zoom in) or together around ``centre``."""

        def fingers(gap: float) -> list[tuple[float, float]]:
            return [(centre[0] - gap / 2, centre[1]), (centre[0] + gap / 2, centre[1])]

        self._touch("touchStart", fingers(start_gap))
        for i in range(1, steps + 1):
            self._touch("touchMove", fingers(start_gap + (end_gap - start_gap) * i / steps))
            time.sleep(0.016)
        self._touch("touchEnd", [])

    def tap(self, point: tuple[float, float]) -> None:
        self._touch("touchStart", [point])
        self._touch("touchEnd", [])


def centre(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


# The layout's measurements, in the page (measure.js).
MEASURE = "\n".join(
    line
    for line in (Path(__file__).parent / "measure.js").read_text(encoding="utf-8").splitlines()
    if not line.startswith("//")
)


def layout_problems(page: Page) -> list[str]:
    """What breaks the tablet layout on the page as it is now (see MEASURE)."""
    result: dict[str, Any] = page.evaluate(MEASURE)
    assert result["counted"] > 0, "no interactive element measured"
    return list(result["problems"])
