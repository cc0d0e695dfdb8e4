"""Content-addressed photo storage on the filesystem.

A blob is named by the SHA-256 of the bytes the device sent: the device computes it before
uploading, so it can ask which photos the server lacks and never send one twice. On
arrival the bytes are checked against that name and decoded as the declared image type;
then the stored copy is re-encoded without metadata, because board photos from a tablet
carry EXIF GPS positions that must never be kept. So the name identifies the upload and
the content served is its cleaned copy (with a thumbnail beside it).

Uploads are written to a temporary file and renamed into place, so an interrupted upload
never leaves a partial blob; a ranged upload appends to ``<hash>.part`` and can resume
where the server says it stopped.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from PIL import Image, ImageOps

CONTENT_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
THUMB_SIZE = 320
_HASH = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 16
# A board photo is a few thousand pixels on a side; anything far larger is an attack.
Image.MAX_IMAGE_PIXELS = 60_000_000


class BlobError(Exception):
    """Base of the blob store's refusals; ``status`` is the HTTP answer that fits."""

    status = 400
    code = "bad_request"


class BlobHashInvalid(BlobError):
    status, code = 400, "bad_hash"


class BlobTooLarge(BlobError):
    status, code = 413, "too_large"


class BlobHashMismatch(BlobError):
    status, code = 422, "hash_mismatch"


class BlobTypeRefused(BlobError):
    status, code = 415, "unsupported_media_type"


class BlobOffsetMismatch(BlobError):
    """A ranged upload did not continue where the stored part ends."""

    status, code = 409, "offset_mismatch"

    def __init__(self, expected: int) -> None:
        super().__init__(f"upload continues at byte {expected}")
        self.expected = expected


def check_hash(value: str) -> str:
    """The hash if it is 64 lower-case hex digits; refuse anything else before touching files."""
    if not isinstance(value, str) or not _HASH.match(value):
        raise BlobHashInvalid("a blob is named by the SHA-256 of its bytes, in lower-case hex")
    return value


class BlobStore:
    """Photos under ``root/ab/cd/<hash>`` (cleaned original) and ``<hash>.thumb.jpg``."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def path(self, digest: str, variant: str = "original") -> Path:
        digest = check_hash(digest)
        folder = self.root / digest[:2] / digest[2:4]
        return folder / (f"{digest}.thumb.jpg" if variant == "thumb" else digest)

    def has(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def missing(self, digests: Iterable[str]) -> list[str]:
        """Those of ``digests`` the store does not hold, in the order given, once each."""
        seen: set[str] = set()
        result = []
        for digest in digests:
            if digest not in seen and not self.has(digest):
                result.append(digest)
            seen.add(digest)
        return result

    def put(self, digest: str, stream: IO[bytes] | bytes, content_type: str) -> bool:
        """Store an upload; False when the blob was there already (nothing rewritten)."""
        digest = check_hash(digest)
        _check_type(content_type)
        if self.has(digest):
            return False
        source = io.BytesIO(stream) if isinstance(stream, bytes) else stream
        tmp = self._temp_file(digest)
        try:
            with open(tmp, "wb") as out:
                _copy_limited(source, out, self.max_bytes)
            return self._finish(digest, tmp, content_type)
        finally:
            tmp.unlink(missing_ok=True)

    def partial_length(self, digest: str) -> int:
        """How many bytes of a ranged upload the server holds."""
        part = self._part(digest)
        return part.stat().st_size if part.is_file() else 0

    def put_range(self, digest: str, offset: int, chunk: bytes, total: int,
                  content_type: str) -> bool | None:
        """Append a chunk of a ranged upload; finishes the blob with the last chunk.

        Returns None while incomplete, then like ``put``. A chunk that does not start where
        the stored part ends raises BlobOffsetMismatch with the offset to resume from.
        """
        digest = check_hash(digest)
        _check_type(content_type)
        if total > self.max_bytes:
            raise BlobTooLarge(f"a photo may be at most {self.max_bytes} bytes")
        if self.has(digest):
            return False
        part = self._part(digest)
        with self._lock:
            have = part.stat().st_size if part.is_file() else 0
            if offset != have or offset + len(chunk) > total:
                raise BlobOffsetMismatch(have)
            part.parent.mkdir(parents=True, exist_ok=True)
            with open(part, "ab") as out:
                out.write(chunk)
            if offset + len(chunk) < total:
                return None
            done = self._temp_file(digest)
            os.replace(part, done)
        try:
            return self._finish(digest, done, content_type)
        finally:
            done.unlink(missing_ok=True)

    def open(self, digest: str, variant: str = "original") -> IO[bytes]:
        return open(self.path(digest, variant), "rb")

    def _finish(self, digest: str, tmp: Path, content_type: str) -> bool:
        """Verify, clean, thumbnail and move into place."""
        if _sha256(tmp) != digest:
            raise BlobHashMismatch("the bytes do not have the SHA-256 they were sent under")
        cleaned, thumb = _clean_image(tmp, CONTENT_TYPES[content_type])
        final = self.path(digest)
        final.parent.mkdir(parents=True, exist_ok=True)
        thumb_tmp = self._temp_file(digest)
        clean_tmp = self._temp_file(digest)
        try:
            thumb_tmp.write_bytes(thumb)
            clean_tmp.write_bytes(cleaned)
            # Thumbnail first: once the original exists, `has` is true and both are there.
            os.replace(thumb_tmp, self.path(digest, "thumb"))
            if final.exists():
                return False
            os.replace(clean_tmp, final)
            return True
        finally:
            thumb_tmp.unlink(missing_ok=True)
            clean_tmp.unlink(missing_ok=True)

    def _part(self, digest: str) -> Path:
        return self.path(digest).with_name(f"{digest}.part")

    def _temp_file(self, digest: str) -> Path:
        folder = self.path(digest).parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=".upload-")
        os.close(fd)
        return Path(name)


def _check_type(content_type: str) -> None:
    if content_type not in CONTENT_TYPES:
        raise BlobTypeRefused("photos must be image/jpeg, image/png or image/webp")


def _copy_limited(source: IO[bytes], out: IO[bytes], limit: int) -> None:
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > limit:
            raise BlobTooLarge(f"a photo may be at most {limit} bytes")
        out.write(chunk)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _clean_image(path: Path, expected_format: str) -> tuple[bytes, bytes]:
    """Decode the image as the declared type; re-encode it without metadata; thumbnail it."""
    try:
        with Image.open(path) as probe:
            if probe.format != expected_format:
                raise BlobTypeRefused(f"the bytes are not a {expected_format} image")
            probe.verify()
        with Image.open(path) as img:
            img.load()
            # Turn the picture upright as the camera meant, since the EXIF saying so is dropped.
            upright = ImageOps.exif_transpose(img)
    except BlobTypeRefused:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise BlobTypeRefused(f"the bytes are not a readable {expected_format} image") from exc
    clean = _encode(upright, expected_format)
    thumb_img = upright.convert("RGB")
    thumb_img.thumbnail((THUMB_SIZE, THUMB_SIZE))
    return clean, _encode(thumb_img, "JPEG")


def _encode(img: Image.Image, fmt: str) -> bytes:
    """Encode with no EXIF, XMP or other metadata (Pillow writes none unless given)."""
    out = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB").save(out, "JPEG", quality=90)
    elif fmt == "WEBP":
        img.save(out, "WEBP", quality=90)
    else:
        img.save(out, "PNG")
    return out.getvalue()
