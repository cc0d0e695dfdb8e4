"""Removing metadata without touching the picture (server/photos/image_metadata.py).

Every case checks the same three things a person would notice: the picture is exactly the
same, nothing of the metadata is left, and the file did not grow.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, PngImagePlugin

from server.photos import image_metadata
from server.photos.image_metadata import strip
from tests.sync.images import board, encoded, gps_exif, has_gps, pixels

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
    b'exif:GPSLatitude="55,40.5N" tiff:Make="TabletMaker"/></rdf:RDF></x:xmpmeta>'
)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
LEAKS = (b"TabletMaker", b"GPSLatitude", b"xmpmeta", b"secret comment", b"Exif\x00\x00MM")


def picture(mode: str = "RGB", size: tuple[int, int] = (320, 240)) -> Image.Image:
    return board(size, seed=3).convert(mode)


def unchanged_and_clean(original: bytes, cleaned: bytes, fmt: str) -> None:
    assert pixels(cleaned) == pixels(original)
    assert len(cleaned) <= len(original)
    for leak in LEAKS:
        assert leak not in cleaned, leak
    with Image.open(io.BytesIO(cleaned)) as img:
        assert img.format == fmt
        assert not img.getexif()


@pytest.mark.parametrize(
    "mode,options",
    [
        ("RGB", {"quality": 80}),
        ("RGB", {"quality": 75, "progressive": True, "optimize": True}),
        ("RGB", {"quality": 90, "subsampling": 0, "restart_marker_blocks": 3}),
        ("L", {"quality": 70}),
        ("CMYK", {"quality": 85}),  # carries an Adobe segment that must be kept
    ],
)
def test_jpeg(mode: str, options: dict[str, object]) -> None:
    img = picture(mode)
    data = encoded(
        img,
        "JPEG",
        exif=gps_exif(),
        icc_profile=SRGB,
        comment=b"secret comment",
        xmp=XMP,
        **options,
    )
    assert has_gps(data) and XMP in data
    cleaned = strip(data, "JPEG")
    unchanged_and_clean(data, cleaned, "JPEG")
    with Image.open(io.BytesIO(cleaned)) as out:
        assert out.info.get("icc_profile") == SRGB  # the colours are still described


def test_jpeg_keeps_only_its_orientation_and_drops_what_follows_the_picture() -> None:
    exif = Image.Exif()
    exif.update({0x010F: "TabletMaker", image_metadata.ORIENTATION: 6})
    exif.get_ifd(0x8825).update({1: "N", 2: (55.0, 40.0, 30.0)})
    data = encoded(picture(), "JPEG", exif=exif.tobytes(), quality=80)
    motion_photo = data + b"\x00\x00\x00\x18ftypmp42" + b"video bytes with TabletMaker" * 50
    cleaned = strip(motion_photo, "JPEG", orientation=6)
    unchanged_and_clean_but_turned = pixels(cleaned) == pixels(data)
    assert unchanged_and_clean_but_turned
    assert cleaned.endswith(b"\xff\xd9") and b"ftyp" not in cleaned
    assert b"TabletMaker" not in cleaned and len(cleaned) < len(data)
    with Image.open(io.BytesIO(cleaned)) as img:
        assert dict(img.getexif()) == {image_metadata.ORIENTATION: 6}


@pytest.mark.parametrize(
    "mode,options",
    [
        ("RGB", {}),
        ("RGBA", {"optimize": True}),
        ("P", {"transparency": 0}),
        ("L", {"interlace": 1}),
        ("I;16", {}),
    ],
)
def test_png(mode: str, options: dict[str, object]) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret comment")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Software", "TabletMaker", zip=True)
    data = encoded(picture(mode), "PNG", pnginfo=info, exif=gps_exif(), icc_profile=SRGB, **options)
    data = data + b"trailing TabletMaker"  # after IEND
    cleaned = strip(data, "PNG")
    unchanged_and_clean(data, cleaned, "PNG")


@pytest.mark.parametrize(
    "mode,options",
    [
        ("RGB", {"quality": 60}),
        ("RGBA", {"quality": 70}),
        ("RGB", {"lossless": True}),
    ],
)
def test_webp(mode: str, options: dict[str, object]) -> None:
    data = encoded(picture(mode), "WEBP", exif=gps_exif(), xmp=XMP, icc_profile=SRGB, **options)
    assert XMP in data
    cleaned = strip(data, "WEBP")
    unchanged_and_clean(data, cleaned, "WEBP")
    with Image.open(io.BytesIO(cleaned)) as out:
        assert out.info.get("icc_profile") == SRGB


def test_a_webp_without_anything_left_to_declare_becomes_the_simple_format() -> None:
    with_metadata = encoded(picture(), "WEBP", quality=60, exif=gps_exif(), xmp=XMP)
    assert with_metadata[12:16] == b"VP8X"
    cleaned = strip(with_metadata, "WEBP")
    (size,) = struct.unpack("<I", cleaned[16:20])
    assert cleaned[12:16] == b"VP8 " and len(cleaned) == 20 + size + (size & 1)  # one chunk
    assert pixels(cleaned) == pixels(with_metadata)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@pytest.mark.parametrize(
    "fmt,data",
    [
        ("JPEG", b"\xff\xd8\xff\xe0\x00\x10JFIF"),  # cut inside a segment
        ("JPEG", b"GIF89a"),
        ("PNG", b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", b"\x00" * 13)),  # no IEND
        ("PNG", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xffIDAT"),
        ("WEBP", b"RIFF\x10\x00\x00\x00WEBPEXIF\x04\x00\x00\x00abcd"),  # no picture
        ("GIF", b"GIF89a"),
    ],
)
def test_damaged_files_are_refused(fmt: str, data: bytes) -> None:
    with pytest.raises(ValueError):
        strip(data, fmt)


SAMPLES = {
    "JPEG": encoded(picture(size=(64, 48)), "JPEG", exif=gps_exif(), quality=70),
    "PNG": encoded(picture(size=(64, 48)), "PNG", exif=gps_exif()),
    "WEBP": encoded(picture(size=(64, 48)), "WEBP", exif=gps_exif(), quality=60),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(sorted(SAMPLES)),
    position=st.integers(min_value=0),
    value=st.integers(min_value=0, max_value=255),
    cut=st.booleans(),
)
def test_damaged_bytes_never_crash_and_never_grow(
    fmt: str, position: int, value: int, cut: bool
) -> None:
    """A damaged upload is refused with ValueError (then 415/422), never another error."""
    data = bytearray(SAMPLES[fmt])
    position %= len(data)
    if cut:
        del data[position:]
    else:
        data[position] = value
    try:
        cleaned = strip(bytes(data), fmt)
    except ValueError:
        return
    assert len(cleaned) <= len(data)
