"""The photo store (PROTOCOL.md property 7): verified, stored once, never half, no location,
never larger than sent, refused from the header when too big — on the filesystem and S3."""

from __future__ import annotations

import io
import threading

import pytest
from PIL import Image

from server.photos.blobs import (
    BlobError,
    BlobHashInvalid,
    BlobHashMismatch,
    BlobTooLarge,
    BlobTypeRefused,
    PhotoStore,
)
from server.photos.storage import ObjectStore
from tests.sync.images import board, encoded, gps_exif, has_gps, huge_png, photo, pixels, sha
from tests.sync.stores import objects

__all__ = ["objects"]  # the fixture, used through ``store``


@pytest.fixture
def store(objects: ObjectStore) -> PhotoStore:
    return PhotoStore(objects, max_bytes=3_000_000, max_pixels=25_000_000)


@pytest.mark.parametrize(
    "fmt,content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_stored_photo_and_its_copies_carry_no_location(
    store: PhotoStore, fmt: str, content_type: str
) -> None:
    data = photo(fmt)
    assert has_gps(data)  # the test photo really has a position
    accepted = store.put(sha(data), data, content_type)
    assert accepted.new and accepted.content_type == content_type
    stored, thumb, display = (store.get(sha(data), v) for v in ("original", "thumb", "display"))
    for copy in (stored, thumb, display):
        assert not has_gps(copy)
        assert b"TabletMaker" not in copy
    assert pixels(stored) == pixels(data)  # the same picture, not re-encoded
    with Image.open(io.BytesIO(stored)) as img:
        assert (img.format, img.size) == (fmt, (800, 600))
    with Image.open(io.BytesIO(thumb)) as img:
        assert (img.format, max(img.size)) == ("JPEG", 320)
    with Image.open(io.BytesIO(display)) as img:
        assert (img.format, img.size) == ("JPEG", (800, 600))  # never enlarged


@pytest.mark.parametrize(
    "fmt,options",
    [
        ("JPEG", {"quality": 75, "optimize": True, "progressive": True}),  # the tablet's JPEG
        ("WEBP", {"quality": 60, "method": 4}),  # the tablet's WebP
    ],
)
def test_a_photo_the_tablet_made_small_is_not_stored_bigger(
    store: PhotoStore, fmt: str, options: dict[str, object]
) -> None:
    """Issue 14: the server's clean copy must not undo the tablet's compression."""
    img = board((2048, 1536))
    plain = encoded(img, fmt, **options)
    with_location = encoded(img, fmt, exif=gps_exif(), **options)
    for data in (plain, with_location):
        accepted = store.put(sha(data), data, f"image/{fmt.lower()}")
        stored = store.get(sha(data))
        assert accepted.stored == len(stored) <= len(data)
        assert len(stored) <= len(plain)  # the metadata and nothing else was removed
        assert pixels(stored) == pixels(plain)
        assert not has_gps(stored)


def test_a_known_photo_is_stored_once_and_still_fully_checked(store: PhotoStore) -> None:
    data = photo()
    assert store.put(sha(data), data, "image/jpeg").new is True
    before = store.get(sha(data))
    again = store.put(sha(data), data, "image/jpeg")
    assert again.new is False and store.get(sha(data)) == before
    # The same refusals whether or not the server has the photo: no answer tells.
    png = photo("PNG")
    with pytest.raises(BlobError) as labelled:
        store.put(sha(data), data, "image/png")
    assert labelled.value.status == 415
    with pytest.raises(BlobHashMismatch):
        store.put(sha(data), png, "image/png")


def test_wrong_hash_wrong_type_garbage_and_oversize_are_refused(
    store: PhotoStore, objects: ObjectStore
) -> None:
    jpeg, png = photo(), photo("PNG")
    with pytest.raises(BlobHashMismatch):
        store.put(sha(b"something else"), jpeg, "image/jpeg")
    with pytest.raises(BlobError) as labelled:
        store.put(sha(png), png, "image/jpeg")  # a PNG labelled as JPEG
    assert labelled.value.status == 415
    with pytest.raises(BlobError):
        store.put(sha(b"not an image"), b"not an image", "image/jpeg")
    with pytest.raises(BlobTypeRefused):
        store.put(sha(jpeg), jpeg, "application/pdf")
    small = PhotoStore(objects, max_bytes=1000)
    with pytest.raises(BlobTooLarge):
        small.put(sha(jpeg), jpeg, "image/jpeg")
    assert not store.has(sha(jpeg)) and not store.has(sha(png))
    assert list(objects.keys()) == []  # nothing at all was written


def test_too_many_pixels_are_refused_from_the_header(
    store: PhotoStore, objects: ObjectStore
) -> None:
    """The 119-megapixel PNG of issue 10 (a third of a megabyte on the wire)."""
    data = huge_png()
    with pytest.raises(BlobError) as refused:
        PhotoStore(objects, max_bytes=10_000_000).put(sha(data), data, "image/png")
    assert (refused.value.status, refused.value.code) == (413, "too_many_pixels")
    assert "10900 x 10900" in str(refused.value)
    assert list(objects.keys()) == []


def test_a_cut_off_upload_is_refused_and_the_whole_one_then_stored(
    store: PhotoStore, objects: ObjectStore
) -> None:
    """An interrupted upload is simply sent again (the tablet always sends whole photos)."""
    data = photo()
    for cut in (data[:5000], data[:-2]):
        with pytest.raises(BlobError):
            store.put(sha(data), cut, "image/jpeg")  # hash mismatch
        with pytest.raises(BlobError):
            store.put(sha(cut), cut, "image/jpeg")  # damaged picture
    assert list(objects.keys()) == []
    assert store.put(sha(data), data, "image/jpeg").new
    assert pixels(store.get(sha(data))) == pixels(data)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 64, "abc", "0" * 63 + "/", ""])
def test_hash_names_cannot_reach_outside_the_store(store: PhotoStore, bad: str) -> None:
    with pytest.raises(BlobHashInvalid):
        store.put(bad, b"x", "image/jpeg")
    with pytest.raises(BlobHashInvalid):
        store.key(bad)


def test_the_same_photo_from_two_devices_at_once(store: PhotoStore) -> None:
    data = photo()
    results: list[bool] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(store.put(sha(data), data, "image/jpeg").new)
        )
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and results.count(True) >= 1
    assert pixels(store.get(sha(data))) == pixels(data)


def test_delete_removes_the_photo_and_its_copies(store: PhotoStore, objects: ObjectStore) -> None:
    keep, gone = photo(seed=10), photo(seed=110)
    store.put(sha(keep), keep, "image/jpeg")
    store.put(sha(gone), gone, "image/jpeg")
    store.delete(sha(gone))
    assert sorted(objects.keys()) == sorted(
        store.key(sha(keep), v) for v in ("original", "thumb", "display")
    )


def test_a_display_copy_is_made_for_a_photo_stored_without_one(
    store: PhotoStore, objects: ObjectStore
) -> None:
    data = photo(size=(2400, 1800))
    store.put(sha(data), data, "image/jpeg")
    objects.delete(store.key(sha(data), "display"))  # as stored by an older version
    with Image.open(io.BytesIO(store.get(sha(data), "display"))) as img:
        assert img.size == (1000, 750)
    assert objects.has(store.key(sha(data), "display"))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_the_pixel_limit_is_checked_without_decoding_a_pixel(
    objects: ObjectStore, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Memory is not a test figure (bench/upload_bench.py prints it); what is tested is that
    nothing is decoded before the refusal: loading pixels fails the test."""
    from PIL import ImageFile

    data = huge_png() if fmt == "PNG" else encoded(board((1200, 900)), fmt, exif=gps_exif())

    decoded: list[str] = []

    def no_decoding(self: ImageFile.ImageFile) -> None:
        decoded.append(self.format or "")  # noted, not raised: nothing may swallow it
        raise OSError("pixels were decoded before the size was checked")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(BlobError) as refused:
        PhotoStore(objects, max_bytes=10_000_000, max_pixels=1_000_000).put(
            sha(data), data, f"image/{fmt.lower()}"
        )
    assert refused.value.code == "too_many_pixels"
    assert decoded == []
