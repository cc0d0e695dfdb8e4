"""Content-addressed board photos in the object store (PROTOCOL.md, property 7).

A photo is named by the SHA-256 of the bytes the device sent: the device computes it before
uploading, so it can ask which photos the server lacks and never send one twice. On arrival
the bytes are checked against that name, their header is read (type and pixel count) before
anything is decoded, their metadata is removed without re-encoding (``server.photos.imaging``), and
the whole picture is decoded once to prove it is one. So the name identifies the upload and
the content served is its cleaned copy, never larger than what was sent.

Up to four objects per photo: ``photos/ab/cd/<hash>`` (the cleaned photo), ``<hash>.thumb.jpg``
(320 px) and ``<hash>.display.jpg`` (1000 px, for phones), written at upload — the copies
before the photo itself, and each object whole or not at all, so once the photo exists its
copies do too — and ``<hash>.print.jpg`` (2048 px, for the report's PDF), made the first time
a PDF needs it: only published photos need one. Who may name or read which photo is the
app's business (``server/photos/access.py``), not the store's.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass

from server.photos import imaging
from server.photos.storage import ObjectMissing, ObjectStore, Stored, StoreError

CONTENT_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
VARIANTS = {"original": "", "thumb": ".thumb.jpg", "display": ".display.jpg", "print": ".print.jpg"}
# Copies made from the stored photo when first asked for (display: for photos stored before
# it was made at upload).
_MADE_LATER = {"display": imaging.display_copy, "print": imaging.print_copy}
_HASH = re.compile(r"^[0-9a-f]{64}$")


class BlobError(Exception):
    """Base of the photo store's refusals; ``status`` is the HTTP answer that fits."""

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


class BlobImageRefused(BlobError):
    """The image was refused by ``server.photos.imaging`` (too many pixels, damaged, moving)."""

    def __init__(self, refusal: imaging.ImageRefused) -> None:
        super().__init__(str(refusal))
        self.status, self.code = refusal.status, refusal.code


def check_hash(value: str) -> str:
    """The hash if it is 64 lower-case hex digits; refuse anything else before any lookup."""
    if not isinstance(value, str) or not _HASH.match(value):
        raise BlobHashInvalid("a photo is named by the SHA-256 of its bytes, in lower-case hex")
    return value


@dataclass(frozen=True)
class Accepted:
    """A verified upload: what was stored (or was there already) under ``digest``."""

    digest: str
    content_type: str
    sent: int  # bytes the device sent
    stored: int  # bytes of the cleaned copy (never more than sent)
    new: bool  # False when the photo was stored already (nothing was written)


class PhotoStore:
    """Board photos and their copies under ``photos/`` in an object store."""

    def __init__(
        self, objects: ObjectStore, max_bytes: int, max_pixels: int = imaging.DEFAULT_MAX_PIXELS
    ) -> None:
        self.objects = objects
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

    @staticmethod
    def key(digest: str, variant: str = "original") -> str:
        digest = check_hash(digest)
        return f"photos/{digest[:2]}/{digest[2:4]}/{digest}{VARIANTS[variant]}"

    def put(self, digest: str, data: bytes, content_type: str) -> Accepted:
        """Verify an upload completely, then store it unless it is stored already.

        Every check runs whether or not the photo is there, so the answer never says
        whether someone else uploaded the same bytes before.
        """
        digest = check_hash(digest)
        fmt = CONTENT_TYPES.get(content_type)
        if fmt is None:
            raise BlobTypeRefused("photos must be image/jpeg, image/png or image/webp")
        if len(data) > self.max_bytes:
            raise BlobTooLarge(f"a photo may be at most {self.max_bytes} bytes")
        if hashlib.sha256(data).hexdigest() != digest:
            raise BlobHashMismatch("the bytes do not have the SHA-256 they were sent under")
        try:
            header = imaging.probe(data, (fmt,), self.max_pixels)
            cleaned = imaging.clean(data, header)
        except imaging.ImageRefused as exc:
            raise BlobImageRefused(exc) from exc
        new = not self.has(digest)
        if new:
            # The copies first: the photo's own key is what says "stored".
            self._put_all(
                digest,
                [
                    (self.key(digest, "thumb"), cleaned.thumb, "image/jpeg"),
                    (self.key(digest, "display"), cleaned.display, "image/jpeg"),
                    (self.key(digest), cleaned.data, cleaned.content_type),
                ],
            )
        return Accepted(digest, cleaned.content_type, len(data), len(cleaned.data), new)

    def _put_all(self, digest: str, objects: list[tuple[str, bytes, str]]) -> None:
        """Write the objects in order; when the store fails part way (full, unreachable),
        remove the copies written so far, so a refused upload leaves nothing behind."""
        written: list[str] = []
        try:
            for key, data, content_type in objects:
                self.objects.put(key, data, content_type)
                written.append(key)
        except StoreError:
            # Unless another upload of the same bytes finished meanwhile: its photo needs
            # these copies (the same bytes, written whole).
            if not self._has_quietly(digest):
                for key in written:
                    # An unreachable store keeps a copy no photo names: harmless.
                    with contextlib.suppress(StoreError):
                        self.objects.delete(key)
            raise

    def _has_quietly(self, digest: str) -> bool:
        try:
            return self.has(digest)
        except StoreError:
            return False

    def has(self, digest: str) -> bool:
        return self.objects.has(self.key(digest))

    def open(self, digest: str, variant: str = "original") -> Stored:
        """The stored photo or one of its copies, as a stream; ObjectMissing if absent."""
        if variant in _MADE_LATER:
            self.copy(digest, variant)
        return self.objects.open(self.key(digest, variant))

    def get(self, digest: str, variant: str = "original") -> bytes:
        stored = self.open(digest, variant)
        try:
            return stored.stream.read()
        finally:
            stored.stream.close()

    def copy(self, digest: str, variant: str) -> None:
        """Make sure a copy made from the stored photo exists (two workers making it at once
        write the same bytes; each write is whole)."""
        key = self.key(digest, variant)
        if not self.objects.has(key):
            original = self.objects.get(self.key(digest))  # ObjectMissing if no photo
            self.objects.put(key, _MADE_LATER[variant](original), "image/jpeg")

    def delete(self, digest: str) -> list[str]:
        """Remove the photo and its copies; the keys removed."""
        keys = [self.key(digest, variant) for variant in VARIANTS]
        self.objects.delete(keys[0])  # the photo first: it stops counting as stored at once
        for key in keys[1:]:
            self.objects.delete(key)
        return keys


__all__ = ["Accepted", "BlobError", "ObjectMissing", "PhotoStore", "check_hash"]
