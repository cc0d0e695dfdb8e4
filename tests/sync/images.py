"""Real image bytes made with Pillow, including a photo with a GPS position in its EXIF."""

from __future__ import annotations

import functools
import hashlib
import io

from PIL import Image

GPS_IFD = 0x8825


def photo(
    fmt: str = "JPEG", size: tuple[int, int] = (800, 600), with_gps: bool = True, seed: int = 0
) -> bytes:
    img = Image.new("RGB", size, (40 + seed % 200, 120, 90))
    for x in range(0, size[0], 40):  # some content, so encoders do real work
        for y in range(0, size[1], 40):
            img.putpixel((x, y), (255, 255, 255))
    out = io.BytesIO()
    kwargs: dict[str, object] = {}
    if with_gps:
        exif = Image.Exif()
        exif[0x010F] = "TabletMaker"  # Make
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 40.0, 30.0), 3: "E", 4: (12.0, 34.0, 5.0)})
        kwargs["exif"] = exif.tobytes()
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as img:
        exif = img.getexif()
        return bool(exif.get_ifd(GPS_IFD)) or "exif" in img.info


def board(size: tuple[int, int] = (2048, 1536), seed: int = 0) -> Image.Image:
    """A picture like a board photo: light background, coloured notes, lines of 'text' and
    sensor noise (so encoders have real work, as with a camera's picture)."""
    import random

    from PIL import ImageDraw

    rng = random.Random(seed)
    img = Image.new("RGB", size, (236, 236, 228))
    draw = ImageDraw.Draw(img)
    w, h = size
    for _ in range(24):
        x, y = rng.randrange(0, w - w // 8), rng.randrange(0, h - h // 8)
        colour = rng.choice([(250, 230, 120), (160, 220, 250), (250, 170, 200), (180, 240, 170)])
        draw.rectangle((x, y, x + w // 9, y + h // 9), fill=colour)
        for line in range(5):
            ly = y + 10 + line * (h // 60)
            draw.line(
                (x + 8, ly, x + w // 10, ly + rng.randrange(-3, 4)), fill=(30, 30, 60), width=3
            )
    noise = Image.effect_noise(size, 18).convert("RGB")
    return Image.blend(img, noise, 0.08)


def encoded(img: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def gps_exif() -> bytes:
    """An EXIF block with a camera make and a GPS position (as a phone writes it)."""
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 40.0, 30.0), 3: "E", 4: (12.0, 34.0, 5.0)})
    return exif.tobytes()


def pixels(data: bytes) -> bytes:
    """The decoded picture, to compare two files' pictures exactly."""
    with Image.open(io.BytesIO(data)) as img:
        return img.convert("RGBA").tobytes()


@functools.cache
def huge_png(width: int = 10_900, height: int = 10_900) -> bytes:
    """A valid, well-compressed PNG of ``width`` x ``height`` black RGB pixels (10,900 x
    10,900 is the 119-megapixel upload of issue 10: ~0.4 MB sent, ~356 MB of pixels)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + width * 3)
    parts = [packer.compress(row) for _ in range(height)]
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )
