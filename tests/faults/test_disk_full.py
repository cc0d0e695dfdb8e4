"""The disk of ``BLOB_DIR`` full (issue 26, point 4): an upload is refused clearly (507 in
the one JSON error shape, with Retry-After, so the tablet keeps the photo and sends it
again), and nothing is half-written: no temporary file, no copy of a photo that was not
stored, no row that names bytes the server does not hold. Once there is room, the same
upload is stored whole.

Two disks, the same assertions:

- ``tmpfs``: a real file system of 2 MiB mounted at ``BLOB_DIR`` and filled up to a few
  kilobytes, so the kernel itself answers ENOSPC part way through a write. Mounting needs
  root (or CAP_SYS_ADMIN): where the test may not mount, this one is skipped;
- ``wrapper``: the store's file writes go through a disk of a fixed room that writes what
  fits and then raises ``OSError(ENOSPC)``, as the kernel does: it runs everywhere.

The app runs in this process (the fault is the disk's, not the database's).
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from flask import Flask
from sqlalchemy import func, select

from server.extensions import db
from server.models import BlobUpload
from server.photos import imaging
from server.photos.storage import files
from tests.sync.images import photo, sha


class Disk(Protocol):
    def leave(self, room: int) -> None:
        """Fill the disk up to ``room`` bytes."""

    def free(self) -> None:
        """Make room again."""


class Tmpfs:
    """A tmpfs at ``folder``, filled by a file of its own outside the store's folders."""

    SIZE = 2 * 1024 * 1024

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.filler = folder / "filler"

    def leave(self, room: int) -> None:
        stat = os.statvfs(self.folder)
        with open(self.filler, "wb") as out:
            out.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - room))

    def free(self) -> None:
        self.filler.unlink()


class Wrapped:
    """The store's files written through a disk with ``room`` bytes left."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.room: int | None = None
        real = os.fdopen
        disk = self

        class Out:
            def __init__(self, fd: int, mode: str) -> None:
                self.file = real(fd, mode)

            def write(self, data: bytes) -> int:
                if disk.room is not None and len(data) > disk.room:
                    self.file.write(data[: disk.room])  # what fits is written, as on a disk
                    self.file.flush()
                    disk.room = 0
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                if disk.room is not None:
                    disk.room -= len(data)
                return int(self.file.write(data))

            def __getattr__(self, name: str) -> Any:
                return getattr(self.file, name)

            def __enter__(self) -> Out:
                return self

            def __exit__(self, *exc: object) -> None:
                self.file.close()

        # Only the store module's view of os: nothing else in the process writes through it.
        monkeypatch.setattr(files, "os", _OsWith(lambda fd, mode: Out(fd, mode)))

    def leave(self, room: int) -> None:
        self.room = room

    def free(self) -> None:
        self.room = None


class _OsWith:
    """``os`` with another ``fdopen``."""

    def __init__(self, fdopen: Any) -> None:
        self.fdopen = fdopen

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@pytest.fixture
def blob_dir(tmp_path: Path) -> Path:
    return tmp_path / "full-disk"


@pytest.fixture(params=["tmpfs", "wrapper"])
def disk(
    request: pytest.FixtureRequest, blob_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Disk]:
    blob_dir.mkdir()
    if request.param == "wrapper":
        yield Wrapped(monkeypatch)
        return
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={Tmpfs.SIZE}", "tmpfs", str(blob_dir)],
        capture_output=True,
        check=False,
    )
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.decode().strip()}")
    try:
        yield Tmpfs(blob_dir)
    finally:
        subprocess.run(["umount", "-l", str(blob_dir)], check=True)


@pytest.fixture
def app_config(app_config: dict[str, Any], blob_dir: Path, disk: Disk) -> dict[str, Any]:
    return {**app_config, "BLOB_DIR": str(blob_dir / "photos")}


def stored_files(blob_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(blob_dir))
        for p in blob_dir.rglob("*")
        if p.is_file() and p.name != "filler"
    )


def uploads(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(BlobUpload)) or 0)


def test_an_upload_to_a_full_disk_is_refused_and_leaves_nothing_behind(
    app: Flask, as_user: Any, blob_dir: Path, disk: Disk
) -> None:
    familie = as_user("familie")
    image = photo(size=(2400, 1800), seed=7, with_gps=False)
    cleaned = imaging.clean(image, imaging.probe(image, ("JPEG",), 25_000_000))
    # Room for the thumbnail, not for the display copy: the write fails part way through
    # the second of the photo's three objects.
    disk.leave(len(cleaned.thumb) + 4096)
    assert len(cleaned.display) > 4096 * 2

    resp = familie.put(
        f"/api/blobs/{sha(image)}", data=image, headers={"Content-Type": "image/jpeg"}
    )
    assert resp.status_code == 507, resp.get_json()
    body = resp.get_json()
    assert body["error"]["code"] == "insufficient_storage"
    assert set(body["error"]) == {"code", "message", "fields"}
    assert int(resp.headers["Retry-After"]) > 0
    assert stored_files(blob_dir) == []  # no temporary file, no thumbnail of a photo not stored
    assert uploads(app) == 0

    disk.free()
    resp = familie.put(
        f"/api/blobs/{sha(image)}", data=image, headers={"Content-Type": "image/jpeg"}
    )
    assert resp.status_code == 200, resp.get_json()
    digest = sha(image)
    shard = f"photos/{digest[:2]}/{digest[2:4]}/{digest}"
    assert stored_files(blob_dir) == sorted([shard, f"{shard}.display.jpg", f"{shard}.thumb.jpg"])
    assert uploads(app) == 1
