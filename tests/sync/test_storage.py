"""The object store (server/photos/storage/): the same behaviour on the filesystem and on S3."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from server.photos.storage import NAMESPACES, ObjectMissing, ObjectStore, StoreError, open_store
from server.photos.storage.files import FileStore
from server.photos.storage.s3 import S3Store
from tests.s3server import s3_options
from tests.sync.stores import objects

__all__ = ["objects"]  # the fixture, used by name below


def test_put_get_has_delete_and_list(objects: ObjectStore) -> None:
    objects.put("photos/ab/cd/one", b"first", "image/jpeg")
    objects.put("documents/ab/two", b"second")
    objects.put("filing/child/2030-01-01-v1-x.zip", b"third", "application/zip")
    assert objects.get("photos/ab/cd/one") == b"first"
    assert objects.has("documents/ab/two") and not objects.has("documents/ab/three")
    stored = objects.open("filing/child/2030-01-01-v1-x.zip")
    try:
        assert (stored.size, stored.stream.read()) == (5, b"third")
    finally:
        stored.stream.close()
    assert sorted(objects.keys()) == [
        "documents/ab/two",
        "filing/child/2030-01-01-v1-x.zip",
        "photos/ab/cd/one",
    ]
    assert list(objects.keys("photos/")) == ["photos/ab/cd/one"]
    objects.put("photos/ab/cd/one", b"replaced")
    assert objects.get("photos/ab/cd/one") == b"replaced"
    objects.delete("photos/ab/cd/one")
    objects.delete("photos/ab/cd/one")  # deleting twice is the same as once
    assert not objects.has("photos/ab/cd/one")
    with pytest.raises(ObjectMissing):
        objects.get("photos/ab/cd/one")
    with pytest.raises(ObjectMissing):
        objects.open("photos/ab/cd/one")
    objects.check()


@pytest.mark.parametrize(
    "bad",
    [
        "../etc/passwd",
        "photos/../../etc/passwd",
        "photos/a/../b",
        "/photos/x",
        "photos",
        "photos/",
        "other/x",
        "photos//x",
        "photos/.hidden",
        "photos/a b",
        "photos\\x",
    ],
)
def test_keys_cannot_name_anything_outside_the_store(objects: ObjectStore, bad: str) -> None:
    for action in (
        lambda: objects.put(bad, b"x"),
        lambda: objects.get(bad),
        lambda: objects.has(bad),
        lambda: objects.delete(bad),
    ):
        with pytest.raises(ValueError):
            action()
    assert list(objects.keys()) == []


def test_an_interrupted_write_leaves_the_old_object_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileStore({name: tmp_path / name for name in NAMESPACES})
    store.put("photos/ab/cd/one", b"whole")

    def crash(*_args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)  # the process dies before the rename
    with pytest.raises(OSError):
        store.put("photos/ab/cd/one", b"half")
    with pytest.raises(OSError):
        store.put("photos/ab/cd/two", b"half")
    monkeypatch.undo()
    assert store.get("photos/ab/cd/one") == b"whole"
    assert not store.has("photos/ab/cd/two")
    assert list(store.keys()) == ["photos/ab/cd/one"]
    assert [p.name for p in (tmp_path / "photos").rglob("*") if p.is_file()] == ["one"]


def test_s3_refuses_bytes_damaged_on_the_way(s3_endpoint: str) -> None:
    """A store that ignores Content-MD5 (moto does; AWS, MinIO and Ceph do not) still never
    keeps damaged bytes: the ETag is checked and the object removed."""
    from tests.s3server import new_bucket

    store = open_store(f"s3://{new_bucket(s3_endpoint)}/p", {}, s3_options(s3_endpoint))
    assert isinstance(store, S3Store)

    def damage(request: Any, **_kwargs: Any) -> None:
        body = request.body.read() if hasattr(request.body, "read") else bytes(request.body)
        request.body = b"X" + body[1:]  # one byte changed on the way, the length kept

    store.client.meta.events.register("before-send.s3.PutObject", damage)
    with pytest.raises(StoreError, match="other bytes than were sent"):
        store.put("photos/ab/cd/one", b"the real bytes")
    store.client.meta.events.unregister("before-send.s3.PutObject", damage)
    assert not store.has("photos/ab/cd/one")
    store.put("photos/ab/cd/one", b"the real bytes")
    assert store.get("photos/ab/cd/one") == b"the real bytes"


def test_an_unreachable_s3_store_says_so(s3_endpoint: str) -> None:
    store = open_store("s3://no-such-bucket-here/p", {}, s3_options(s3_endpoint))
    with pytest.raises(StoreError):
        store.check()


def test_the_store_url_is_checked() -> None:
    with pytest.raises(ValueError):
        open_store("ftp://x/y", {})
    with pytest.raises(ValueError):
        open_store("s3:///prefix", {})
    store = open_store("s3://bucket/some/prefix/", {}, {})
    assert isinstance(store, S3Store)
    assert store.where("photos/ab/x") == "s3://bucket/some/prefix/photos/ab/x"
