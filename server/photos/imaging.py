"""Checking uploaded images before they cost memory, and making the copies that are shown.

Every image that arrives from outside passes ``probe`` first: it reads only the header (the
format and the picture's size) and refuses a picture with more pixels than allowed before a
single pixel is decoded. A 10,900 x 10,900 PNG is a few hundred kilobytes on the wire and
1.4 GB once decoded; Pillow's own guard (``MAX_IMAGE_PIXELS``) only raises at twice its value
and only warns below that, so it is not relied on.

``clean`` then removes the metadata without re-encoding (``server.photos.image_metadata``), proves
that what is kept decodes as a whole picture, and makes the thumbnail and the phone-sized
display copy from it, all in one decode.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from server.photos import image_metadata

DEFAULT_MAX_PIXELS = 25_000_000  # a 24-MP camera; a tablet's board photo is ~5 MP
THUMB_SIZE = 320
DISPLAY_SIZE = 1000  # px on the long side: sharp on a 390 px wide phone at 2.5x
THUMB_QUALITY, DISPLAY_QUALITY = 80, 72
# The copy in the report's PDF: the board's handwriting must stay readable there. The
# display copy keeps under half of the words tesseract reads in the stored photo, a 1600 px
# copy 93-97 %, this one (the tablet's full 2048 px) all of them: `python -m bench filing`.
PRINT_SIZE, PRINT_QUALITY = 2048, 85
# A WebP photo as filed in the case system: JPEG, which every archive takes, at the stored
# photo's full size and a quality that loses nothing tesseract can read.
ARCHIVE_QUALITY = 92
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class ImageRefused(Exception):
    """The bytes are not an image that may be stored; ``status``/``code`` for the answer."""

    status, code = 415, "unsupported_media_type"


class TooManyPixels(ImageRefused):
    status, code = 413, "too_many_pixels"

    def __init__(self, width: int, height: int, limit: int) -> None:
        size = f"{width} x {height} pixels" if width and height else "far too large"
        super().__init__(
            f"The picture is {size}; at most {limit / 1e6:g} megapixels are "
            "accepted. Reduce its resolution and send it again."
        )
        self.width, self.height, self.limit = width, height, limit


class Unreadable(ImageRefused):
    status, code = 422, "unreadable_image"


@dataclass(frozen=True)
class Header:
    """What the header of an image says, read without decoding it."""

    format: str  # Pillow's name: JPEG, PNG, WEBP
    width: int
    height: int
    orientation: int  # EXIF orientation, 1 when upright or absent


@dataclass(frozen=True)
class Cleaned:
    """An image ready to store: ``data`` has no metadata and is never larger than sent."""

    data: bytes
    content_type: str
    thumb: bytes  # JPEG, at most THUMB_SIZE px on the long side
    display: bytes  # JPEG, at most DISPLAY_SIZE px on the long side


def probe(data: bytes, formats: tuple[str, ...], max_pixels: int) -> Header:
    """The image's header, if it is one of ``formats``, a still picture, and small enough."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (and at twice its limit raises) about big pictures; ours is lower.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt, (width, height) = img.format or "", img.size
                animated = bool(getattr(img, "is_animated", False))
                orientation = _orientation(img)
    except Image.DecompressionBombError as exc:
        raise TooManyPixels(0, 0, max_pixels) from exc
    # Pillow lets struct.error out of some damaged headers.
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        raise ImageRefused("The bytes are not a readable JPEG, PNG or WebP image.") from exc
    if fmt not in formats:
        raise ImageRefused(f"Only {', '.join(FORMATS[f] for f in formats)} are accepted.")
    if width * height > max_pixels or width <= 0 or height <= 0:
        raise TooManyPixels(width, height, max_pixels)
    if animated:
        raise ImageRefused("Moving pictures are not accepted: send a still photo.")
    return Header(fmt, width, height, orientation)


def sanitize(data: bytes, header: Header) -> bytes:
    """The image without metadata, proven to decode as a whole picture (for documents)."""
    stored, img = _stripped_and_decoded(data, header)
    img.close()
    return stored


def clean(data: bytes, header: Header) -> Cleaned:
    """Metadata removed (losslessly), the result decoded in full, and its two copies made
    from that one decode (for photos)."""
    stored, img = _stripped_and_decoded(data, header)
    with img:
        display = _small(img)
    thumb = display.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
    return Cleaned(
        stored, FORMATS[header.format], _jpeg(thumb, THUMB_QUALITY), _jpeg(display, DISPLAY_QUALITY)
    )


def _stripped_and_decoded(data: bytes, header: Header) -> tuple[bytes, Image.Image]:
    try:
        if header.orientation != 1 and header.format != "JPEG":
            # Only JPEG keeps a (minimal) orientation tag; a rare turned PNG or WebP is
            # turned for real instead, so it is not shown on its side.
            stored = _reencode_upright(data, header.format)
        else:
            stored = image_metadata.strip(data, header.format, header.orientation)
        img = Image.open(io.BytesIO(stored))
        try:
            img.load()  # proves the whole picture decodes: a cut-off upload fails here
        except BaseException:
            img.close()
            raise
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        raise Unreadable(f"The {header.format} image is damaged or cut off.") from exc
    return stored, img


def display_copy(stored: bytes) -> bytes:
    """The phone-sized JPEG of an image already stored (cleaned and checked before)."""
    with Image.open(io.BytesIO(stored)) as img:
        img.load()
        return _jpeg(_small(img), DISPLAY_QUALITY)


def print_copy(stored: bytes) -> bytes:
    """The JPEG for the report's PDF, of an image already stored: large enough to read the
    board's handwriting when printed or zoomed."""
    with Image.open(io.BytesIO(stored)) as img:
        img.load()
        return _jpeg(_small(img, PRINT_SIZE), PRINT_QUALITY, full_chroma=True)


def archival_jpeg(stored: bytes) -> bytes:
    """An image already stored, as a JPEG of the same size (for a case system that may not
    take WebP). Upright, RGB, and with no metadata: nothing is carried over."""
    with Image.open(io.BytesIO(stored)) as img:
        img.load()
        return _jpeg(_small(img, max(img.size)), ARCHIVE_QUALITY, full_chroma=True)


def _small(img: Image.Image, side: int = DISPLAY_SIZE) -> Image.Image:
    """The upright, RGB picture at most ``side`` px on its long side, made with as few
    full-size copies as can be (each is width x height x 3 bytes or more)."""
    ImageOps.exif_transpose(img, in_place=True)
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")  # palettes
    img.thumbnail((side, side))
    return img.convert("RGB")


def _orientation(img: Image.Image) -> int:
    """From the EXIF read with the header; ``getexif()`` is not used, since for a PNG it
    decodes the whole picture looking for an EXIF chunk after the pixels."""
    raw = img.info.get("exif")
    if not raw:
        return 1
    try:
        exif = Image.Exif()
        exif.load(raw)
        value = exif.get(image_metadata.ORIENTATION, 1)
    except Exception:  # a damaged EXIF block is dropped anyway; treat the picture as upright
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _reencode_upright(data: bytes, fmt: str) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        upright = ImageOps.exif_transpose(img)
    out = io.BytesIO()
    if fmt == "PNG":
        upright.save(out, "PNG", optimize=True)
    else:
        upright.save(out, fmt, quality=90)
    return image_metadata.strip(out.getvalue(), fmt)  # whatever the encoder carried over


def _jpeg(img: Image.Image, quality: int, full_chroma: bool = False) -> bytes:
    out = io.BytesIO()
    # 4:4:4 for text: halving the colour resolution (Pillow's default) blurs coloured strokes.
    img.save(
        out,
        "JPEG",
        quality=quality,
        optimize=True,
        progressive=True,
        **({"subsampling": 0} if full_chroma else {}),
    )
    return out.getvalue()
