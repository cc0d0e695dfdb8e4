"""Real image bytes made with Pillow, including a photo with a GPS position in its EXIF."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

GPS_IFD = 0x8825


def photo(fmt: str = "JPEG", size: tuple[int, int] = (800, 600), with_gps: bool = True,
          seed: int = 0) -> bytes:
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
