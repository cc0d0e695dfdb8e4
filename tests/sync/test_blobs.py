"""The blob store (PROTOCOL.md property 7): verified, stored once, resumable, no location."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from PIL import Image

from sync.blobs import (
    BlobHashInvalid,
    BlobHashMismatch,
    BlobOffsetMismatch,
    BlobStore,
    BlobTooLarge,
    BlobTypeRefused,
)
from tests.sync.images import has_gps, photo, sha


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs", max_bytes=2_000_000)


@pytest.mark.parametrize("fmt,content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                              ("WEBP", "image/webp")])
def test_stored_photo_and_thumbnail_carry_no_location(
    store: BlobStore, fmt: str, content_type: str
) -> None:
    data = photo(fmt)
    assert has_gps(data)  # the test photo really has a position
    assert store.put(sha(data), data, content_type) is True
    with store.open(sha(data)) as f:
        stored = f.read()
    with store.open(sha(data), "thumb") as f:
        thumb = f.read()
    assert not has_gps(stored)
    assert not has_gps(thumb)
    assert b"TabletMaker" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == fmt
        assert img.size == (800, 600)
    with Image.open(io.BytesIO(thumb)) as img:
        assert max(img.size) == 320


def test_a_known_photo_is_stored_once(store: BlobStore) -> None:
    data = photo()
    assert store.put(sha(data), data, "image/jpeg") is True
    path = store.path(sha(data))
    before = path.stat().st_mtime_ns
    assert store.put(sha(data), data, "image/jpeg") is False
    assert path.stat().st_mtime_ns == before
    assert store.missing([sha(data), sha(b"other"), sha(data)]) == [sha(b"other")]


def test_wrong_hash_wrong_type_garbage_and_oversize_are_refused(store: BlobStore) -> None:
    jpeg, png = photo(), photo("PNG")
    with pytest.raises(BlobHashMismatch):
        store.put(sha(b"something else"), jpeg, "image/jpeg")
    with pytest.raises(BlobTypeRefused):
        store.put(sha(png), png, "image/jpeg")  # a PNG labelled as JPEG
    with pytest.raises(BlobTypeRefused):
        store.put(sha(b"not an image"), b"not an image", "image/jpeg")
    with pytest.raises(BlobTypeRefused):
        store.put(sha(jpeg), jpeg, "application/pdf")
    small = BlobStore(store.root, max_bytes=1000)
    with pytest.raises(BlobTooLarge):
        small.put(sha(jpeg), jpeg, "image/jpeg")
    assert store.missing([sha(jpeg), sha(png)]) == [sha(jpeg), sha(png)]
    assert list(store.root.rglob("*.upload-*")) == []  # no temporary file left behind


def test_a_truncated_image_is_refused(store: BlobStore) -> None:
    data = photo()[:5000]
    with pytest.raises(BlobTypeRefused):
        store.put(sha(data), data, "image/jpeg")


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 64, "abc", "0" * 63 + "/", ""])
def test_hash_names_cannot_reach_outside_the_store(store: BlobStore, bad: str) -> None:
    with pytest.raises(BlobHashInvalid):
        store.put(bad, b"x", "image/jpeg")
    with pytest.raises(BlobHashInvalid):
        store.path(bad)


def test_an_interrupted_upload_resumes_where_it_stopped(store: BlobStore) -> None:
    data = photo()
    digest, total = sha(data), len(data)
    assert store.put_range(digest, 0, data[:4000], total, "image/jpeg") is None
    # the connection dropped during the second chunk; the device asks where to go on
    assert store.partial_length(digest) == 4000
    with pytest.raises(BlobOffsetMismatch) as wrong:
        store.put_range(digest, 8000, data[8000:], total, "image/jpeg")
    assert wrong.value.expected == 4000
    assert not store.has(digest)
    assert store.put_range(digest, 4000, data[4000:], total, "image/jpeg") is True
    assert store.has(digest)
    assert store.partial_length(digest) == 0


def test_a_corrupted_resumed_upload_is_refused_and_can_start_over(store: BlobStore) -> None:
    data = photo()
    digest, total = sha(data), len(data)
    store.put_range(digest, 0, data[:3000], total, "image/jpeg")
    corrupt = b"\0" * (total - 3000)
    with pytest.raises(BlobHashMismatch):
        store.put_range(digest, 3000, corrupt, total, "image/jpeg")
    assert not store.has(digest)
    assert store.partial_length(digest) == 0
    assert store.put(digest, data, "image/jpeg") is True


def test_the_same_photo_from_two_devices_at_once(store: BlobStore) -> None:
    data = photo()
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(
        store.put(sha(data), data, "image/jpeg"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.has(sha(data))
    assert results.count(True) >= 1
    with store.open(sha(data)) as f, Image.open(f) as img:
        img.verify()
