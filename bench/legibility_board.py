"""A generated photo of a Signs of Safety board, as a tablet's camera would take it.

Three columns with their headings, coloured sticky notes with Danish words in handwriting
fonts from Debian (fonts-dkg-handwriting, fonts-breip, fonts-femkeklaver), then what a camera
adds: perspective, uneven light, lens blur, sensor noise, a 12-MP JPEG with GPS EXIF. The same
seed always gives the same photo and the same words, so OCR can be scored against them.

Variants stand for the photos the tablet should warn about: ``dark`` (a dim room),
``blurred`` (moved), ``soft`` (slightly out of focus: tesseract then reads only about a third of
the words), ``glare`` (a lamp's reflection over notes); ``dim`` is an acceptable photo just on
the good side of ``dark``, to keep the warning honest. For finding and reading the notes
(bench/board_notes_bench.py) there are also ``crowded`` (more, smaller notes, three to a row)
and ``angled`` (the board taken from the side: a stronger perspective). Each photo comes with
its ground truth: every note's corners in the photo, its column and its words.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

SIZE = (4000, 3000)  # a 12-megapixel tablet camera, landscape
HEADINGS = ("Det der bekymrer", "Det der fungerer", "Det vi vil se ske")
FONTS = (
    "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
    "/usr/share/fonts/truetype/breip/Breip.ttf",
    "/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf",
)
DEBIAN_PACKAGES = (
    "tesseract-ocr",
    "tesseract-ocr-dan",
    "fonts-dkg-handwriting",
    "fonts-breip",
    "fonts-femkeklaver",
)
NOTE_COLOURS = ((255, 238, 110), (255, 176, 204), (184, 234, 160), (164, 212, 250), (255, 204, 128))
INKS = ((25, 25, 30), (20, 40, 120), (30, 30, 30), (90, 20, 20))
# What is said at a well-being meeting, in the words people write on sticky notes.
WORDS = (  # noqa: SIM905 - a paragraph reads better than 110 quoted words
    "søvn morgen kammerater leg frokost vrede træt glad skole mor far hjemme rutiner tale "
    "lytte venner hente bringe bekymret græder kontakt pædagog aftale weekend mormor "
    "fodbold tegne spise sover uro konflikt ked alene gården dukker svømning cykel "
    "lektier læse regne stille højt råber slår trøst tryghed samling cirkeltid garderobe "
    "madpakke hjælper søster bror hund farmor bedstefar tandlæge læge sundhedsplejerske "
    "psykolog samtale forældremøde hverdag overgang ferie jul fødselsdag kram smil "
    "nysgerrig modig hjælpsom drille grine synge danse bygge lego puslespil klatre løbe "
    "gynge sandkasse regnvejr frugt vand mælk brød æble pære gulerod ønsker mål næste "
    "uge måned dag aften nat seng mareridt vækker tidligt sent ugeplan billeder kalender"
).split()
VARIANTS = ("good", "dim", "soft", "dark", "blurred", "glare")
# Variants for finding the notes only: not photos the quality warnings are calibrated on.
NOTE_VARIANTS = ("crowded", "angled")
# Latitude/longitude of a daycare: what must never leave the tablet.
GPS = {1: "N", 2: (55.0, 40.0, 36.0), 3: "E", 4: (12.0, 34.0, 6.0)}


Point = tuple[float, float]


@dataclass(frozen=True)
class Note:
    """One sticky note as written: where it is in the photo, its column (0-2), its words."""

    corners: list[Point]  # in the photo's pixels, after perspective
    column: int
    words: list[str]

    @property
    def centre(self) -> Point:
        return (
            sum(x for x, _ in self.corners) / len(self.corners),
            sum(y for _, y in self.corners) / len(self.corners),
        )


@dataclass(frozen=True)
class BoardPhoto:
    jpeg: bytes
    words: list[str]  # every word written on the board, headings included
    notes: list[Note]


def board_photo(seed: int, variant: str = "good") -> BoardPhoto:
    """The camera's JPEG of a generated board, the words on it and where each note is."""
    if variant not in VARIANTS + NOTE_VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    rnd = random.Random(seed)
    board, words, notes = _board(rnd, 3 if variant == "crowded" else 2)
    camera = random.Random(seed * 7919 + 1)
    photo, to_photo = _through_camera(board, camera, variant)
    placed = [Note([to_photo(p) for p in n.corners], n.column, n.words) for n in notes]
    return BoardPhoto(camera_jpeg(photo), words, placed)


def camera_jpeg(image: Image.Image, quality: int = 92) -> bytes:
    """A JPEG as a tablet camera saves it: high quality, 4:2:0, EXIF with a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "Tablet camera"  # Make
    exif[0x0110] = "Trivsel bench"  # Model
    gps = exif.get_ifd(0x8825)
    gps.update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, subsampling="4:2:0", exif=exif)
    return out.getvalue()


def _board(rnd: random.Random, across: int = 2) -> tuple[Image.Image, list[str], list[Note]]:
    """The flat board, filling the frame: headings, column lines, notes."""
    width, height = SIZE
    board = Image.new("RGB", SIZE, (236, 237, 233))
    draw = ImageDraw.Draw(board)
    words: list[str] = []
    notes: list[Note] = []
    column_width = width // 3
    heading_font = ImageFont.truetype(FONTS[0], 92)
    for col, heading in enumerate(HEADINGS):
        x0 = col * column_width
        if col:
            bottom = (x0 + rnd.randint(-12, 12), height - 60)
            draw.line([(x0, 60), bottom], fill=(40, 40, 60), width=9)
        draw.text((x0 + 70, 70), heading, font=heading_font, fill=(20, 40, 120))
        words += heading.split()
        placed = _notes(board, rnd, (x0 + 40, 260, column_width - 80, height - 320), across)
        for note in placed:
            words += note.words
            notes.append(Note(note.corners, col, note.words))
    return board, words, notes


def _notes(
    board: Image.Image, rnd: random.Random, area: tuple[int, int, int, int], across: int
) -> list[Note]:
    """Sticky notes in a loose grid (two or three wide), each a little askew, in one of
    three hands."""
    x0, y0, w, h = area
    notes: list[Note] = []
    down = 4 if across == 2 else 5
    cell_w, cell_h = w // across, h // down
    for row in range(down):
        for col in range(across):
            if rnd.random() < 0.15:  # a gap, as on a real board
                continue
            text_words = [rnd.choice(WORDS) for _ in range(rnd.randint(4, 8))]
            side = min(cell_w, cell_h) - 40
            note = _note(rnd, text_words, side)
            angle = rnd.uniform(-5, 5)
            note = note.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
            x = x0 + col * cell_w + rnd.randint(0, 30)
            y = y0 + row * cell_h + rnd.randint(0, 30)
            shadow = Image.new("L", note.size, 0)
            shadow.paste(note.getchannel("A").filter(ImageFilter.GaussianBlur(8)))
            board.paste((150, 150, 150), (x + 8, y + 10), shadow.point(lambda v: v // 2))
            board.paste(note, (x, y), note)
            notes.append(Note(_square(x, y, note.size, side, angle), -1, text_words))
    return notes


def _square(x: int, y: int, size: tuple[int, int], side: int, angle: float) -> list[Point]:
    """The corners of a note of ``side`` turned ``angle`` degrees (counter-clockwise, as
    PIL's rotate) and pasted with its expanded box at (x, y)."""
    cx, cy = x + size[0] / 2, y + size[1] / 2
    a = math.radians(angle)
    corners: list[Point] = []
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        px, py = dx * side / 2, dy * side / 2
        # y grows downwards, so counter-clockwise on screen is a negative maths angle.
        corners.append(
            (cx + px * math.cos(a) + py * math.sin(a), cy - px * math.sin(a) + py * math.cos(a))
        )
    return corners


def _note(rnd: random.Random, words: list[str], side: int) -> Image.Image:
    """One square note with its words wrapped on lines, in a marker of one hand."""
    note = Image.new("RGBA", (side, side), (*rnd.choice(NOTE_COLOURS), 255))
    draw = ImageDraw.Draw(note)
    font = ImageFont.truetype(rnd.choice(FONTS), rnd.randint(40, 48))
    ink = rnd.choice(INKS)
    lines: list[str] = []
    for word in words:
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) < side - 50:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    y = 28
    for line in lines:
        draw.text(
            (22 + rnd.randint(0, 10), y), line, font=font, fill=ink, stroke_width=1, stroke_fill=ink
        )
        y += int(font.size * 1.25)
    return note


def _through_camera(
    board: Image.Image, rnd: random.Random, variant: str
) -> tuple[Image.Image, Callable[[Point], Point]]:
    """Perspective, light, optics and sensor: what turns the board into a photo of it; and
    where a point of the board lands in the photo."""
    photo, to_photo = _perspective(board, rnd, 3.0 if variant == "angled" else 1.0)
    exposure = {"dark": 0.22, "dim": 0.5}.get(variant, 1.0)
    photo = ImageChops.multiply(photo, _light_field(rnd, exposure).convert("RGB"))
    if variant == "glare":
        photo = _glare(photo, rnd)
    blur = {"blurred": 7.0, "soft": 2.6}.get(variant, rnd.uniform(0.9, 1.4))
    photo = photo.filter(ImageFilter.GaussianBlur(blur))
    # A dim room means a high ISO: more noise, as a real sensor gives.
    noisy = _noise(photo, rnd, {"dark": 12.0, "dim": 8.0}.get(variant, 4.0))
    return noisy, to_photo


def _perspective(
    board: Image.Image, rnd: random.Random, skew: float = 1.0
) -> tuple[Image.Image, Callable[[Point], Point]]:
    """The board seen from the table: a quadrilateral on a wall, not a rectangle. ``skew``
    above 1 takes it more from the side (one edge nearer the camera than the other)."""
    width, height = SIZE
    margin_x, margin_y = width * 0.05, height * 0.06
    corners = [
        (margin_x + rnd.uniform(-80, 160), margin_y + rnd.uniform(-60, 140)),
        (width - margin_x + rnd.uniform(-160, 80), margin_y + rnd.uniform(-60, 140)),
        (width - margin_x + rnd.uniform(-160, 80), height - margin_y + rnd.uniform(-140, 60)),
        (margin_x + rnd.uniform(-80, 160), height - margin_y + rnd.uniform(-140, 60)),
    ]
    if skew != 1.0:  # the right edge further away: shorter, and pulled towards the middle
        pull = 90 * skew
        corners[1] = (corners[1][0] - pull, corners[1][1] + pull)
        corners[2] = (corners[2][0] - pull, corners[2][1] - pull)
    source: list[Point] = [(0, 0), (width, 0), (width, height), (0, height)]
    coeffs = _perspective_coefficients(corners, source)
    forward = _perspective_coefficients(source, corners)

    def to_photo(point: Point) -> Point:
        x, y = point
        a, b, c, d, e, f, g, h = forward
        w = g * x + h * y + 1
        return ((a * x + b * y + c) / w, (d * x + e * y + f) / w)

    wall = Image.new("RGB", SIZE, (196, 188, 172))
    mask = Image.new("L", SIZE, 255).transform(
        SIZE, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
    )
    warped = board.transform(SIZE, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    wall.paste(warped, (0, 0), mask)
    return wall, to_photo


def _perspective_coefficients(dst: list[Point], src: list[Point]) -> list[float]:
    """The 8 coefficients PIL wants (output pixel -> input pixel), by solving 8 equations."""
    rows: list[list[float]] = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
    return _solve(rows)


def _solve(rows: list[list[float]]) -> list[float]:
    """Gauss-Jordan elimination with partial pivoting on an n x (n+1) system."""
    n = len(rows)
    for i in range(n):
        pivot = max(range(i, n), key=lambda r: abs(rows[r][i]))
        rows[i], rows[pivot] = rows[pivot], rows[i]
        for r in range(n):
            if r != i:
                factor = rows[r][i] / rows[i][i]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[i], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def _light_field(rnd: random.Random, exposure: float) -> Image.Image:
    """A smooth field of light: brighter where the window or lamp is, darker at the corners."""
    small_w, small_h = 40, 30
    cx, cy = rnd.uniform(0.2, 0.8), rnd.uniform(0.1, 0.6)
    field = Image.new("L", (small_w, small_h))
    for y in range(small_h):
        for x in range(small_w):
            dx, dy = x / small_w - cx, y / small_h - cy
            light = 1.0 - 0.45 * math.hypot(dx, dy) + 0.06 * math.sin(x / 5.0)
            field.putpixel((x, y), max(0, min(255, round(255 * exposure * light))))
    return field.resize(SIZE, Image.Resampling.BICUBIC)


def _glare(photo: Image.Image, rnd: random.Random) -> Image.Image:
    """A lamp's reflection: a bright, clipped blob over notes of one column."""
    width, height = SIZE
    cx, cy = rnd.uniform(0.25, 0.75) * width, rnd.uniform(0.35, 0.7) * height
    blob = Image.new("L", SIZE, 0)
    ImageDraw.Draw(blob).ellipse([cx - 420, cy - 300, cx + 420, cy + 300], fill=255)
    blob = blob.filter(ImageFilter.GaussianBlur(140))
    return ImageChops.add(photo, Image.merge("RGB", (blob, blob, blob)))


def _noise(photo: Image.Image, rnd: random.Random, sigma: float) -> Image.Image:
    """Sensor noise per channel, near-Gaussian (the mean of three uniform draws) and seeded:
    Pillow's own effect_noise is not, and the photo must be the same on every run."""
    channels = []
    for band in photo.split():
        draws = [Image.frombytes("L", SIZE, rnd.randbytes(SIZE[0] * SIZE[1])) for _ in range(3)]
        # a/4 + b/4 + c/2: mean 127.5, spread 45; scaled so that the spread is sigma.
        mixed = ImageChops.add(ImageChops.add(draws[0], draws[1], scale=2.0), draws[2], scale=2.0)
        noise = mixed.point(lambda v: max(0, min(255, round(128 + (v - 127.5) * sigma / 45.0))))
        channels.append(ImageChops.add(band, noise, scale=1.0, offset=-128))
    return Image.merge("RGB", channels)


def write_set(
    folder: Path, seeds: list[int], variants: tuple[str, ...] = ("good",)
) -> dict[str, list[str]]:
    """Write ``<variant>-<seed>.jpg`` files; return each file's words."""
    folder.mkdir(parents=True, exist_ok=True)
    words: dict[str, list[str]] = {}
    for seed in seeds:
        for variant in variants:
            photo = board_photo(seed, variant)
            name = f"{variant}-{seed}.jpg"
            (folder / name).write_bytes(photo.jpeg)
            words[name] = photo.words
    return words


def tablet_copy(jpeg: bytes, max_side: int = 2048, quality: int = 60) -> bytes:
    """What the tablet uploads of a camera photo (pwa/src/photos/encoding.ts TABLET_ENCODING:
    Lanczos to 2048 px, WebP 60), made with Pillow's libwebp: the server's suggestions
    are computed on this, not on the camera's original."""
    image = Image.open(io.BytesIO(jpeg))
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=quality)
    return out.getvalue()
