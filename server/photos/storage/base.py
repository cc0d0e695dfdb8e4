"""What every object store is and refuses: the store's interface, its errors, and the key
rules (``FileStore`` and ``S3Store`` build on these; ``open_store`` picks one)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

NAMESPACES = ("photos", "documents", "filing")
# Letters, digits, dot, dash, underscore in each part; no empty part, no "." or ".." part.
_PART = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_KEY = re.compile(rf"^({'|'.join(NAMESPACES)})(/{_PART})+$")


class StoreError(Exception):
    """The store could not be reached or refused an operation."""


class StoreFull(StoreError):
    """The store has no room for the object (a full disk, a quota): nothing was stored."""


class ObjectMissing(StoreError, KeyError):
    """No object under that key."""


def check_key(key: str) -> str:
    """The key if it is well formed; refuse anything that could name a place outside."""
    if not isinstance(key, str) or not _KEY.match(key) or "/../" in f"/{key}/":
        raise ValueError(f"not a valid object key: {key!r}")
    return key


class Readable(Protocol):
    """A binary stream: an open file, or the body of an S3 answer."""

    def read(self, size: int | None = ..., /) -> bytes: ...

    def close(self) -> None: ...


@dataclass
class Stored:
    """An object opened for reading: a binary stream to read once and close, and its length."""

    stream: Readable
    size: int


class ObjectStore(Protocol):
    """What the app needs of a store; ``FileStore`` and ``S3Store`` provide it."""

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Store ``data`` whole under ``key`` (replacing what was there), or raise."""

    def open(self, key: str) -> Stored:
        """The object as a stream to read once and close; ObjectMissing if absent."""

    def get(self, key: str) -> bytes:
        """The whole object; ObjectMissing if absent."""

    def has(self, key: str) -> bool:
        """Whether a whole object is stored under ``key``."""

    def delete(self, key: str) -> None:
        """Remove the object; nothing happens if there is none."""

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every key that starts with ``prefix`` (the whole store for "")."""

    def where(self, key: str) -> str:
        """Where the object lives, for people (a path or an s3:// address)."""

    def check(self) -> None:
        """Raise StoreError when the store cannot be used (for a readiness probe)."""
