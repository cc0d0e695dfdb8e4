"""One object store for every stored file: photos and their variants, course documents,
filed reports.

Keys are ``<namespace>/<path>`` (``photos/ab/cd/<sha256>``, ``documents/ab/<sha256>``,
``filing/<child id>/<name>.zip``). The filesystem is the default (each namespace in its own
folder, so the settings that name those folders keep working); any S3-compatible store is
chosen by ``BLOB_STORE_URL=s3://<bucket>/<prefix>``. Both write an object whole or not at
all: nobody ever reads half an object.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

NAMESPACES = ("photos", "documents", "filing")
# Letters, digits, dot, dash, underscore in each part; no empty part, no "." or ".." part.
_PART = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_KEY = re.compile(rf"^({'|'.join(NAMESPACES)})(/{_PART})+$")


class StoreError(Exception):
    """The store could not be reached or refused an operation."""


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

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream"
            ) -> None:
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


def open_store(url: str, folders: Mapping[str, str | Path],
               s3_options: Mapping[str, str] | None = None) -> ObjectStore:
    """The store a URL names: "" (or ``file:``) for the folders, ``s3://bucket/prefix``."""
    if not url or url.startswith("file:"):
        from server.photos.storage.files import FileStore

        return FileStore({name: Path(folder) for name, folder in folders.items()})
    if url.startswith("s3://"):
        from server.photos.storage.s3 import S3Store

        bucket, _, prefix = url[len("s3://"):].partition("/")
        if not bucket:
            raise ValueError("BLOB_STORE_URL must name a bucket: s3://<bucket>/<prefix>")
        return S3Store(bucket, prefix.strip("/"), dict(s3_options or {}))
    raise ValueError(f"BLOB_STORE_URL must be empty or s3://<bucket>/<prefix>, not {url!r}")
