"""Finding the sticky notes in a photo of the board, and the column each sits in.

Sticky notes are the saturated things on a white board on a beige or grey wall: colour
segmentation in HSV finds them. Notes of different colours may touch, so the saturated pixels
are split by hue first (the note colours in this photo are the peaks of its hue histogram),
then each colour's regions become contours; a region is a note when it is about square and
about the size of a note. Its four corners (the photo is taken at an angle, so a note is a
quadrilateral, not a rectangle) give a straightened crop.

The columns are the board's dark vertical lines, found with a Hough transform on what is dark
and not a note; a note's column is how many of those lines lie left of its centre at its own
height (the lines lean with the perspective). Without two lines, the notes' extent is cut in
thirds.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from cv2.typing import MatLike
from numpy.typing import NDArray

Image = MatLike  # what cv2 takes and gives: a numpy array of pixels
WORK_WIDTH = 1600  # detection runs on a copy this wide: enough for notes, 6x fewer pixels
MIN_SATURATION = 50  # the board and the wall stay below, paper notes stay above
MIN_VALUE = 80  # ink and shadows are dark: not part of a note's paper
COLUMNS = 3
# More note-like regions than a board holds (the crowded bench board has about 40): a photo of
# something else, or one made to be costly, each region being an OCR run. Nothing is offered.
MAX_NOTES = 80
# A straightened note, in pixels: the writing is then ~20 px high, which tesseract reads as well
# as at 400 or 640 px (measured on the bench's boards), and in less time.
CROP_SIDE = 300


@dataclass(frozen=True)
class FoundNote:
    """A note in the photo: its corners (full-size pixels), column and straightened crop."""

    corners: list[tuple[float, float]]
    column: int
    crop: Image  # BGR

    @property
    def centre(self) -> tuple[float, float]:
        return (
            sum(x for x, _ in self.corners) / len(self.corners),
            sum(y for _, y in self.corners) / len(self.corners),
        )


def decode(data: bytes) -> Image:
    """The photo's pixels (BGR); ValueError when they are not a picture."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("not an image")
    return image


def find_notes(photo: Image) -> list[FoundNote]:
    """Every sticky note found in the photo, top to bottom within each column."""
    # By the long side: a narrow, very tall picture must not be worked on at full height.
    scale = min(1.0, WORK_WIDTH / max(photo.shape[:2]))
    small = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2HSV)
    small_quads = _note_quads(hsv)
    if len(small_quads) > MAX_NOTES:
        return []
    dividers = [(x0 / scale, slope, n) for x0, slope, n in _dividers(hsv, small_quads)]
    quads = [q / scale for q in small_quads]
    bounds = (
        min((float(q[:, 0].min()) for q in quads), default=0.0),
        max((float(q[:, 0].max()) for q in quads), default=0.0),
    )
    notes = [
        FoundNote(
            [(float(x), float(y)) for x, y in quad],
            _column(quad.mean(axis=0), dividers, bounds),
            _straighten(photo, quad),
        )
        for quad in quads
    ]
    notes.sort(key=lambda n: (n.column, n.centre[1], n.centre[0]))
    return notes


def _note_quads(hsv: Image) -> list[NDArray[np.float64]]:
    """The corners of each note-like region, per colour (small-image pixels)."""
    width = hsv.shape[1]
    hue, sat, val = cv2.split(hsv)
    paper = (sat >= MIN_SATURATION) & (val >= MIN_VALUE)
    # A note is 1/20 to 1/4 of the photo's width on a side; two or three side by side when
    # notes of one colour touch.
    min_area, max_area = (width / 20) ** 2, 3 * (width / 4) ** 2
    quads: list[NDArray[np.float64]] = []
    for lo, hi in _hue_bands(hue[paper]):
        band = paper & (hue >= lo) & (hue < hi) if lo < hi else paper & ((hue >= lo) | (hue < hi))
        mask = cv2.morphologyEx(
            band.astype(np.uint8) * 255, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8)
        )
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            hull = cv2.convexHull(contour)
            area = cv2.contourArea(hull)
            if not min_area <= area <= max_area:
                continue
            (_, _), (w, h), _ = cv2.minAreaRect(hull)
            # Solid: a note, not a strip of glare-bleached wall or a heading.
            if area / (w * h) < 0.8:
                continue
            pieces = round(max(w, h) / min(w, h))
            if pieces == 1 and area <= (width / 4) ** 2:
                quads.append(_corners(hull))
            elif pieces in (2, 3) and abs(max(w, h) / pieces / min(w, h) - 1) < 0.25:
                quads += _split(cv2.boxPoints(cv2.minAreaRect(hull)), pieces)
    return quads


def _split(box: Image, pieces: int) -> list[NDArray[np.float64]]:
    """Notes of one colour that touch, in a row: their joint box cut into equal squares."""
    corners = _corners(box.reshape(-1, 1, 2).astype(np.int32))
    a, b, c, d = corners  # clockwise from top left
    if np.linalg.norm(b - a) < np.linalg.norm(d - a):  # a column of notes: cut across
        a, b, c, d = b, c, d, a
    cuts = [(a + (b - a) * i / pieces, d + (c - d) * i / pieces) for i in range(pieces + 1)]
    return [
        np.array([top, cuts[i + 1][0], cuts[i + 1][1], bottom])
        for i, (top, bottom) in enumerate(cuts[:-1])
    ]


def _hue_bands(hues: Image) -> list[tuple[int, int]]:
    """The hue ranges of this photo's note colours: the peaks of its hue histogram (OpenCV's
    hue runs 0-179 and wraps), each band reaching to the valleys either side."""
    if hues.size == 0:
        return []
    counts = np.bincount(hues.ravel(), minlength=180).astype(np.float64)
    # Smooth round the circle, so that noise makes no peaks of its own.
    kernel = np.ones(7) / 7
    smooth = np.convolve(np.concatenate([counts[-3:], counts, counts[:3]]), kernel, "valid")
    floor = smooth.max() * 0.02
    peaks = [
        h
        for h in range(180)
        if smooth[h] >= floor and smooth[h] >= smooth[h - 1] and smooth[h] > smooth[(h + 1) % 180]
    ]
    if len(peaks) <= 1:
        return [(0, 180)]
    bands: list[tuple[int, int]] = []
    valleys = []
    for a, b in zip(peaks, [*peaks[1:], peaks[0] + 180], strict=True):
        span = [h % 180 for h in range(a, b + 1)]
        valleys.append(min(span, key=lambda h: smooth[h]))
    for i in range(len(peaks)):
        bands.append((valleys[i - 1], valleys[i]))
    return bands


def _corners(hull: Image) -> NDArray[np.float64]:
    """Four corners, clockwise from top left: the polygon's when it simplifies to four
    points (a note seen at an angle), else its turned bounding box."""
    approx = cv2.approxPolyDP(hull, 0.04 * cv2.arcLength(hull, True), True)
    points = approx.reshape(-1, 2) if len(approx) == 4 else cv2.boxPoints(cv2.minAreaRect(hull))
    points = np.asarray(points, np.float64)
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ordered = points[np.argsort(angles)]  # from the left, clockwise on screen (y down)
    start = int(np.argmin(ordered.sum(axis=1)))  # top left: smallest x + y
    return np.roll(ordered, -start, axis=0)


def _dividers(hsv: Image, quads: list[NDArray[np.float64]]) -> list[tuple[float, float, float]]:
    """The board's vertical lines as (x at y=0, dx/dy, length), left to right, in the pixels
    of ``hsv``; at most COLUMNS - 1 of them, the longest."""
    height, width = hsv.shape[:2]
    _, sat, val = cv2.split(hsv)
    dark = ((val < 110) & (sat < 120)).astype(np.uint8) * 255
    for quad in quads:  # the ink on notes is dark too
        cv2.fillConvexPoly(dark, cv2.convexHull(quad.astype(np.int32)), 0)
    lines = cv2.HoughLinesP(
        dark, 1, np.pi / 360, threshold=height // 4, minLineLength=height // 3, maxLineGap=20
    )
    found: list[tuple[float, float, float]] = []
    for x1, y1, x2, y2 in [] if lines is None else lines.reshape(-1, 4).tolist():
        if abs(y2 - y1) < 3 * abs(x2 - x1):
            continue  # not near vertical
        slope = (x2 - x1) / (y2 - y1)
        at_top = x1 - slope * y1
        length = float(np.hypot(x2 - x1, y2 - y1))
        middle = at_top + slope * height / 2
        for i, (x0, s, longest) in enumerate(found):
            if abs(x0 + s * height / 2 - middle) < width / 20:  # the same line, in pieces
                if length > longest:
                    found[i] = (at_top, slope, length)
                break
        else:
            found.append((at_top, slope, length))
    found.sort(key=lambda line: -line[2])
    return sorted(found[: COLUMNS - 1], key=lambda line: line[0] + line[1] * height / 2)


def _column(
    centre: NDArray[np.float64],
    dividers: list[tuple[float, float, float]],
    bounds: tuple[float, float],
) -> int:
    """Which column a note's centre is in: count the dividers left of it at its height, or
    without them, which third of the notes' span (``bounds``: leftmost, rightmost x) it is in."""
    x, y = float(centre[0]), float(centre[1])
    if len(dividers) == COLUMNS - 1:
        return sum(1 for x0, slope, _ in dividers if x0 + slope * y < x)
    left, right = bounds
    third = (right - left) / COLUMNS or 1.0
    return min(COLUMNS - 1, max(0, int((x - left) // third)))


def _straighten(photo: Image, quad: NDArray[np.float64]) -> Image:
    """The note cut out and warped to a square: perspective and tilt undone."""
    inset = quad + (quad.mean(axis=0) - quad) * 0.03  # keep the board's edge out of the crop
    target = np.array([[0, 0], [CROP_SIDE, 0], [CROP_SIDE, CROP_SIDE], [0, CROP_SIDE]], np.float32)
    matrix = cv2.getPerspectiveTransform(inset.astype(np.float32), target)
    return cv2.warpPerspective(photo, matrix, (CROP_SIDE, CROP_SIDE))
