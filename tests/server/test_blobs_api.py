"""Photo bytes over HTTP, on the filesystem and on S3: dedupe, upload errors in the one error
shape, whole re-sends after an interruption, sizes, and who may see them."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from tests.harness import ApiClient
from tests.server.stores import app_config, stored_keys
from tests.server.syncclient import Device
from tests.sync.images import board, encoded, gps_exif, has_gps, huge_png, photo, pixels, sha

__all__ = ["app_config"]  # both stores for every test here


def upload(
    client: ApiClient,
    data: bytes,
    content_type: str = "image/jpeg",
    digest: str | None = None,
    **headers: str,
) -> Any:
    return client.put(
        f"/api/blobs/{digest or sha(data)}",
        data=data,
        headers={"Content-Type": content_type, **headers},
    )


def error_of(resp: Any) -> dict[str, Any]:
    body = resp.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    return dict(body["error"])


def test_only_missing_photos_are_asked_for_and_sent_once(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    data = photo()
    other = sha(b"not uploaded")
    missing = familie.post("/api/blobs/missing", {"hashes": [sha(data), other, other]})
    assert missing.get_json() == {"missing": [sha(data), other]}
    first = upload(familie, data)
    assert first.status_code == 200 and first.get_json() == {"received": len(data)}
    assert familie.post("/api/blobs/missing", {"hashes": [sha(data), other]}).get_json() == {
        "missing": [other]
    }
    again = upload(familie, data)  # sending it again changes nothing, and says the same
    assert (again.status_code, again.get_json()) == (200, first.get_json())


def test_upload_errors_have_the_right_status_in_the_one_error_shape(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    jpeg, png = photo(), photo("PNG")
    wrong_hash = upload(familie, jpeg, digest=sha(b"x"))
    assert (wrong_hash.status_code, error_of(wrong_hash)["code"]) == (422, "hash_mismatch")
    assert upload(familie, png, "image/jpeg").status_code == 415
    assert upload(familie, b"%PDF-1.4", "application/pdf").status_code == 415
    garbage = upload(familie, b"\xff\xd8 not really a JPEG", "image/jpeg")
    assert garbage.status_code == 415 and error_of(garbage)["fields"]
    for sneaky in ("../../secret", "%2e%2e%2fsecret", "A" * 64):
        assert upload(familie, jpeg, digest=sneaky).status_code in (400, 404, 405), sneaky
    bad = familie.post("/api/blobs/missing", {"hashes": ["nope"]})
    assert bad.status_code == 422
    assert stored_keys(app) == []


def test_photos_over_the_size_limit_get_413(
    app_config: dict[str, Any], demo: dict[str, Any]
) -> None:
    from server import create_app
    from tests.harness.fixtures import DEMO_PASSWORD

    app = create_app({**app_config, "BLOB_MAX_BYTES": 10_000})
    client = ApiClient(app.test_client())
    client.login("familie@example.org", DEMO_PASSWORD)
    resp = upload(client, photo(size=(1600, 1200)))
    assert resp.status_code == 413 and error_of(resp)["code"] == "too_large"


def test_a_picture_with_too_many_pixels_is_refused_from_its_header(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """Issue 10 item 7: 10,900 x 10,900 pixels in 0.35 MB took 1.47 GB of a worker."""
    data = huge_png()
    assert len(data) < 400_000
    resp = upload(as_user("familie"), data, "image/png")
    error = error_of(resp)
    assert (resp.status_code, error["code"]) == (413, "too_many_pixels")
    assert "10900 x 10900" in error["message"] and "25 megapixels" in error["message"]
    assert stored_keys(app) == []


def test_an_interrupted_upload_is_sent_again_whole(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """There is no resumable upload (the tablet always sends whole photos): a cut-off body,
    with or without the old Content-Range header, stores nothing and harms nothing."""
    familie = as_user("familie")
    data = photo()
    digest = sha(data)
    half = upload(
        familie, data[:5000], digest=digest, **{"Content-Range": f"bytes 0-4999/{len(data)}"}
    )
    assert (half.status_code, error_of(half)["code"]) == (422, "hash_mismatch")
    assert familie.get(f"/api/blobs/{digest}/upload").status_code in (404, 405)
    assert stored_keys(app) == []
    assert familie.post("/api/blobs/missing", {"hashes": [digest]}).get_json() == {
        "missing": [digest]
    }
    assert upload(familie, data, digest=digest).status_code == 200
    assert familie.post("/api/blobs/missing", {"hashes": [digest]}).get_json() == {"missing": []}
    assert all(not key.endswith(".part") for key in stored_keys(app))


def test_photos_are_served_only_to_those_who_may_see_a_record_using_them(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie, paedagog, outsider = as_user("familie"), as_user("paedagog"), as_user("paedagog2")
    data = photo(size=(2400, 1800))
    upload(familie, data)
    url = f"/api/blobs/{sha(data)}"
    # bytes without a record: nobody sees them yet
    assert familie.get(url).status_code == 404
    record = familie.post(
        "/api/photos", {"meeting_id": demo["meeting"], "content_hash": sha(data), "size": len(data)}
    )
    assert record.status_code == 201
    served = paedagog.get(url)
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "no-store"  # child data (server/web/headers.py)
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert not has_gps(served.data) and pixels(served.data) == pixels(data)
    for size, longest in (("thumb", 320), ("display", 1000)):
        copy = paedagog.get(f"{url}?size={size}")
        assert copy.status_code == 200 and copy.mimetype == "image/jpeg"
        with Image.open(io.BytesIO(copy.data)) as img:
            assert max(img.size) == longest
    assert paedagog.get(f"{url}?size=huge").status_code == 422
    assert outsider.get(url).status_code == 404
    assert as_user("admin").get(url).status_code == 404
    familie.delete(f"/api/photos/{record.get_json()['id']}")
    assert paedagog.get(url).status_code == 404


@pytest.mark.parametrize(
    "fmt,options",
    [
        ("JPEG", {"quality": 75, "optimize": True, "progressive": True}),
        ("WEBP", {"quality": 60}),
    ],
)
def test_the_served_photo_is_never_bigger_than_the_tablet_sent(
    as_user: Any, demo: dict[str, Any], fmt: str, options: dict[str, Any]
) -> None:
    """Issue 14: a 2048 px board photo the tablet compressed hard stays that small."""
    familie = as_user("familie")
    data = encoded(board((2048, 1536)), fmt, exif=gps_exif(), **options)
    content_type = f"image/{fmt.lower()}"
    assert upload(familie, data, content_type).status_code == 200
    assert (
        familie.post(
            "/api/photos",
            {
                "meeting_id": demo["meeting"],
                "content_hash": sha(data),
                "size": len(data),
                "content_type": content_type,
            },
        ).status_code
        == 201
    )
    served = familie.get(f"/api/blobs/{sha(data)}")
    assert served.status_code == 200 and served.mimetype == content_type
    assert len(served.data) <= len(data)
    assert pixels(served.data) == pixels(data) and not has_gps(served.data)


def test_signed_out_and_read_only_callers_cannot_upload(client: ApiClient, as_user: Any) -> None:
    data = photo()
    assert upload(client, data).status_code == 401
    assert upload(as_user("admin"), data).status_code == 403
    assert client.get(f"/api/blobs/{uuid.uuid4().hex * 2}").status_code == 401


def test_a_photo_record_that_arrives_before_its_bytes_goes_again_after_them(
    as_user: Any, demo: dict[str, Any]
) -> None:
    """The tablet uploads a photo before its record; when the record comes first anyway (a
    lost upload), it is refused with a code that is not final, and the same mutation, sent
    again once the bytes are up, is applied."""
    familie = as_user("familie")
    data = photo(seed=7)
    rest = familie.post(
        "/api/photos", {"meeting_id": demo["meeting"], "content_hash": sha(data), "size": len(data)}
    )
    assert rest.status_code == 422
    assert rest.get_json()["error"]["code"] == "photo_not_uploaded"
    assert set(rest.get_json()["error"]["fields"]) == {"content_hash"}
    tablet = Device(familie)
    record_id = str(uuid.uuid4())
    tablet.upsert(
        "board_photo",
        record_id,
        meeting_id=demo["meeting"],
        content_hash=sha(data),
        size=len(data),
        content_type="image/jpeg",
    )
    for _ in range(2):  # not stored as the mutation's result: each sending is tried afresh
        [result] = tablet.push()
        assert result["status"] == "rejected"
        assert result["error"]["code"] == "photo_not_uploaded"
    assert familie.get(f"/api/blobs/{sha(data)}").status_code == 404
    upload(familie, data)
    [result] = tablet.push()  # the same mutation id
    assert result["status"] == "applied"
    assert tablet.pull_record("board_photo", record_id)["fields"]["uploaded"] is True
    assert familie.get(f"/api/blobs/{sha(data)}").status_code == 200
