"""The filesystem store: one folder per namespace, objects written to a temporary file in
the target folder and renamed into place (a rename is atomic, so a crash or an interrupted
upload leaves either the whole old state or the whole new object, never half a file)."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from server.photos.storage.base import (
    NAMESPACES,
    ObjectMissing,
    Stored,
    StoreError,
    StoreFull,
    check_key,
)

# A disk or a quota that has no room left: the write is refused, not failed.
_NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT})


class DiskError(StoreError, OSError):
    """The file system failed a write: the store's error (the app answers it), and still an
    OSError with its errno for whoever uses the store as a file system."""


class DiskFull(StoreFull, DiskError):
    """No room left on the disk (or in the quota)."""


TEMP_PREFIX = ".upload-"


class FileStore:
    """Objects as files under ``folders[namespace]``."""

    def __init__(self, folders: Mapping[str, Path]) -> None:
        missing = [name for name in NAMESPACES if name not in folders]
        if missing:
            raise ValueError(f"no folder for {', '.join(missing)}")
        self.folders = {name: Path(folders[name]) for name in NAMESPACES}

    def path(self, key: str) -> Path:
        """The file of a key (the key is checked first: it cannot leave its folder)."""
        namespace, _, rest = check_key(key).partition("/")
        return self.folders[namespace] / rest

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        target = self.path(key)
        tmp: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())  # the bytes are on disk before the name points at them
            os.replace(tmp, target)
        except OSError as exc:
            # A full disk fails a write part way (or the flush, or the fsync): the temporary
            # file is removed below, and the name never pointed at it.
            kind = DiskFull if exc.errno in _NO_ROOM else DiskError
            raise kind(exc.errno, f"could not store {key} in {target.parent}: {exc}") from exc
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def open(self, key: str) -> Stored:
        try:
            f = open(self.path(key), "rb")  # noqa: SIM115 - the caller closes the stream
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc
        return Stored(stream=f, size=os.fstat(f.fileno()).st_size)

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError as exc:
            raise ObjectMissing(key) from exc

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self, prefix: str = "") -> Iterator[str]:
        for namespace, folder in self.folders.items():
            if not (namespace.startswith(prefix) or prefix.startswith(namespace + "/")):
                continue
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):  # temporary files
                    key = f"{namespace}/{path.relative_to(folder).as_posix()}"
                    if key.startswith(prefix):
                        yield key

    def where(self, key: str) -> str:
        return str(self.path(key))

    def check(self) -> None:
        for folder in self.folders.values():
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create {folder}: {exc}") from exc
            if not os.access(folder, os.W_OK):
                raise StoreError(f"cannot write to {folder}")
