"""One object store for every stored file: photos and their variants, course documents,
filed reports.

Keys are ``<namespace>/<path>`` (``photos/ab/cd/<sha256>``, ``documents/ab/<sha256>``,
``filing/<child id>/<name>.zip``). The filesystem is the default (each namespace in its own
folder, so the settings that name those folders keep working); any S3-compatible store is
chosen by ``BLOB_STORE_URL=s3://<bucket>/<prefix>``. Both write an object whole or not at
all: nobody ever reads half an object.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

# The interface and its errors, as the rest of the app imports them.
from server.photos.storage.base import NAMESPACES as NAMESPACES
from server.photos.storage.base import ObjectMissing as ObjectMissing
from server.photos.storage.base import ObjectStore as ObjectStore
from server.photos.storage.base import Readable as Readable
from server.photos.storage.base import Stored as Stored
from server.photos.storage.base import StoreError as StoreError
from server.photos.storage.base import StoreFull as StoreFull
from server.photos.storage.base import check_key as check_key


def open_store(
    url: str, folders: Mapping[str, str | Path], s3_options: Mapping[str, str] | None = None
) -> ObjectStore:
    """The store a URL names: "" (or ``file:``) for the folders, ``s3://bucket/prefix``."""
    if not url or url.startswith("file:"):
        from server.photos.storage.files import FileStore

        return FileStore({name: Path(folder) for name, folder in folders.items()})
    if url.startswith("s3://"):
        from server.photos.storage.s3 import S3Store

        bucket, _, prefix = url[len("s3://") :].partition("/")
        if not bucket:
            raise ValueError("BLOB_STORE_URL must name a bucket: s3://<bucket>/<prefix>")
        return S3Store(bucket, prefix.strip("/"), dict(s3_options or {}))
    raise ValueError(f"BLOB_STORE_URL must be empty or s3://<bucket>/<prefix>, not {url!r}")
