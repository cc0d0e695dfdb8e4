"""Removing metadata from JPEG, PNG and WebP files without touching the picture.

A board photo from a tablet or a phone can carry where it was taken (EXIF GPS), the camera,
the owner's name, an embedded preview with its own EXIF, or a whole video appended after the
picture (motion photos). None of that may be kept. Re-encoding the picture would remove it
too, but would also undo the tablet's careful compression (a small WebP or MozJPEG encoded
again at a fixed quality grows). So the file's own structure is edited instead: the segments
or chunks that hold pictures' pixels and colour are copied byte for byte, everything else is
dropped, and the result is never larger than what was sent.

Kept: JPEG — the JFIF header, ICC colour profile, Adobe colour-transform marker, and every
coding segment (quantisation and Huffman tables, frame and scan headers, the coded data);
the orientation is carried over in a new, minimal EXIF block holding nothing else.
PNG — the critical chunks and colour/transparency/pixel-size chunks. WebP — the frame, alpha
and ICC chunks. Dropped: EXIF, XMP, IPTC, comments, text chunks, maker data, embedded
previews and anything after the end of the picture. Each function raises ValueError when the
file is not well formed; the caller then refuses it.
"""

from __future__ import annotations

import struct

from PIL import Image

ORIENTATION = 0x0112

# JPEG markers
_SOI, _EOI, _SOS, _COM = 0xD8, 0xD9, 0xDA, 0xFE
_APP0, _APP1, _APP2, _APP14, _APP15 = 0xE0, 0xE1, 0xE2, 0xEE, 0xEF
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and the restart markers carry no length

# PNG chunks worth keeping: the picture, its palette and transparency, and how to show its
# colours and size. Text, time, EXIF and private chunks go.
_PNG_KEEP = {
    b"IHDR",
    b"PLTE",
    b"IDAT",
    b"IEND",
    b"tRNS",
    b"cHRM",
    b"gAMA",
    b"iCCP",
    b"sBIT",
    b"sRGB",
    b"cICP",
    b"mDCV",
    b"cLLI",
    b"bKGD",
    b"pHYs",
}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# WebP chunks worth keeping (extended format); the EXIF and XMP flags are cleared in VP8X.
_WEBP_KEEP = {b"VP8X", b"ICCP", b"ALPH", b"VP8 ", b"VP8L"}
_WEBP_EXIF_XMP_FLAGS = 0x08 | 0x04


def strip(data: bytes, fmt: str, orientation: int = 1) -> bytes:
    """The file without metadata; ``fmt`` is Pillow's name (JPEG, PNG, WEBP)."""
    if fmt == "JPEG":
        return strip_jpeg(data, orientation)
    if fmt == "PNG":
        return strip_png(data)
    if fmt == "WEBP":
        return strip_webp(data)
    raise ValueError(f"cannot clean {fmt} files")


def strip_jpeg(data: bytes, orientation: int = 1) -> bytes:
    """Keep the coding segments; keep only the orientation of the EXIF (in a new block)."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG: no start-of-image marker")
    kept: list[bytes] = []
    pos, end = 2, len(data)
    while True:
        if pos >= end or data[pos] != 0xFF:
            raise ValueError("damaged JPEG: a segment does not start with a marker")
        while pos < end and data[pos] == 0xFF:  # fill bytes may precede a marker
            pos += 1
        if pos >= end:
            raise ValueError("damaged JPEG: ends inside a marker")
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            break  # anything after the end of the picture (a motion photo's video) is dropped
        if marker in _STANDALONE:
            kept.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > end:
            raise ValueError("damaged JPEG: a segment is cut off")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2 or pos + length > end:
            raise ValueError("damaged JPEG: a segment is longer than the file")
        segment = data[pos - 2 : pos + length]
        payload = data[pos + 2 : pos + length]
        pos += length
        if marker == _SOS:
            scan_end = _end_of_scan(data, pos)
            kept.append(segment + data[pos:scan_end])
            pos = scan_end
        elif _APP0 <= marker <= _APP15 or marker == _COM:
            if _keep_app(marker, payload):
                kept.append(segment)
        else:
            kept.append(segment)
    if orientation != 1:
        # A camera stores "rotate when showing" instead of rotating the pixels; without it
        # the board would be shown on its side. Nothing else of the EXIF survives.
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        block = exif.tobytes()
        app1 = b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block
        at = 1 if kept and kept[0][1] == _APP0 else 0  # after a JFIF header, as usual
        kept.insert(at, app1)
    return b"\xff\xd8" + b"".join(kept) + b"\xff\xd9"


def _keep_app(marker: int, payload: bytes) -> bool:
    if marker == _APP0:
        return payload.startswith(b"JFIF\x00")  # not JFXX, which holds a preview picture
    if marker == _APP2:
        return payload.startswith(b"ICC_PROFILE\x00")  # not MPF, which holds more pictures
    if marker == _APP14:
        return payload.startswith(b"Adobe")  # says how to read the colours of CMYK files
    return False


def _end_of_scan(data: bytes, pos: int) -> int:
    """Where the coded data after a scan header ends: the next marker that is not a stuffed
    byte (FF00) or a restart marker (FFD0-FFD7)."""
    end = len(data)
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= end:
            raise ValueError("damaged JPEG: the picture data is cut off")
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            pos += 1 if following == 0xFF else 2
            continue
        return pos


def strip_png(data: bytes) -> bytes:
    """Keep the picture's chunks, byte for byte with their checksums; stop at IEND."""
    if data[:8] != _PNG_SIGNATURE:
        raise ValueError("not a PNG: no signature")
    kept = [_PNG_SIGNATURE]
    pos, end = 8, len(data)
    while True:
        if pos + 12 > end:
            raise ValueError("damaged PNG: no end chunk")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk_end = pos + 12 + length
        if chunk_end > end:
            raise ValueError("damaged PNG: a chunk is longer than the file")
        if kind in _PNG_KEEP:
            kept.append(data[pos:chunk_end])
        pos = chunk_end
        if kind == b"IEND":
            return b"".join(kept)


def strip_webp(data: bytes) -> bytes:
    """Keep the frame, alpha and colour-profile chunks; clear the EXIF/XMP flags."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP: no RIFF/WEBP header")
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = min(len(data), 8 + riff_size)
    chunks: list[bytes] = []
    pos = 12
    while pos + 8 <= end:
        kind = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        chunk_end = pos + 8 + size + (size & 1)  # chunks are padded to an even length
        if pos + 8 + size > end:
            raise ValueError("damaged WebP: a chunk is longer than the file")
        chunk = data[pos : min(chunk_end, end)]
        if kind == b"VP8X" and size >= 1:
            chunk = chunk[:8] + bytes((chunk[8] & ~_WEBP_EXIF_XMP_FLAGS,)) + chunk[9:]
        if kind in _WEBP_KEEP:
            chunks.append(chunk + b"\x00" * (len(chunk) & 1))
        pos = chunk_end
    if not any(c[:4] in (b"VP8 ", b"VP8L") for c in chunks):
        raise ValueError("damaged WebP: no picture")
    if len(chunks) == 2 and chunks[0][:4] == b"VP8X" and chunks[0][8] == 0:
        chunks = chunks[1:]  # nothing left that needs the extended header: the simple format
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
