"""Photo bytes over HTTP: dedupe, upload errors, resumable uploads, and who may see them."""

from __future__ import annotations

import uuid
from typing import Any

from tests.server.client import ApiClient
from tests.sync.images import has_gps, photo, sha


def upload(client: ApiClient, data: bytes, content_type: str = "image/jpeg",
           digest: str | None = None, **headers: str) -> Any:
    return client.put(f"/api/blobs/{digest or sha(data)}", data=data,
                      headers={"Content-Type": content_type, **headers})


def test_only_missing_photos_are_asked_for_and_sent_once(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    data = photo()
    other = sha(b"not uploaded")
    missing = familie.post("/api/blobs/missing", {"hashes": [sha(data), other]})
    assert missing.get_json() == {"missing": [sha(data), other]}
    first = upload(familie, data)
    assert first.status_code == 200
    assert first.get_json()["complete"] is True
    assert familie.post("/api/blobs/missing", {"hashes": [sha(data), other]}).get_json() == {
        "missing": [other]}
    assert upload(familie, data).status_code == 200  # sending it again changes nothing


def test_upload_errors_have_the_right_status(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    jpeg, png = photo(), photo("PNG")
    wrong_hash = upload(familie, jpeg, digest=sha(b"x"))
    assert (wrong_hash.status_code, wrong_hash.get_json()["error"]["code"]) == (
        422, "hash_mismatch")
    assert upload(familie, png, "image/jpeg").status_code == 415
    assert upload(familie, b"%PDF-1.4", "application/pdf").status_code == 415
    for sneaky in ("../../secret", "%2e%2e%2fsecret", "A" * 64):
        assert upload(familie, jpeg, digest=sneaky).status_code in (400, 404, 405), sneaky
    bad = familie.post("/api/blobs/missing", {"hashes": ["nope"]})
    assert bad.status_code == 422


def test_photos_over_the_size_limit_get_413(app_config: dict[str, Any], demo: dict[str, Any]
                                            ) -> None:
    from server import create_app
    from tests.server.conftest import DEMO_PASSWORD

    app = create_app({**app_config, "BLOB_MAX_BYTES": 10_000})
    client = ApiClient(app.test_client())
    client.login("familie@example.org", DEMO_PASSWORD)
    big = photo(size=(1600, 1200))
    resp = upload(client, big)
    assert resp.status_code == 413
    assert resp.get_json()["error"]["message"]


def test_resumable_upload_over_http(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    data = photo()
    digest, total = sha(data), len(data)
    part = familie.put(f"/api/blobs/{digest}", data=data[:5000], headers={
        "Content-Type": "image/jpeg", "Content-Range": f"bytes 0-4999/{total}"})
    assert part.get_json() == {"received": 5000, "complete": False}
    progress = familie.get(f"/api/blobs/{digest}/upload").get_json()
    assert progress == {"received": 5000, "complete": False}
    wrong = familie.put(f"/api/blobs/{digest}", data=data[6000:], headers={
        "Content-Type": "image/jpeg", "Content-Range": f"bytes 6000-{total - 1}/{total}"})
    assert wrong.status_code == 409
    rest = familie.put(f"/api/blobs/{digest}", data=data[5000:], headers={
        "Content-Type": "image/jpeg", "Content-Range": f"bytes 5000-{total - 1}/{total}"})
    assert rest.get_json()["complete"] is True


def test_photos_are_served_only_to_those_who_may_see_a_record_using_them(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie, paedagog, outsider = as_user("familie"), as_user("paedagog"), as_user("paedagog2")
    data = photo()
    upload(familie, data)
    url = f"/api/blobs/{sha(data)}"
    # bytes without a record: nobody sees them yet
    assert familie.get(url).status_code == 404
    record = familie.post("/api/photos", {"meeting_id": demo["meeting"],
                                          "content_hash": sha(data), "size": len(data)})
    assert record.status_code == 201
    served = paedagog.get(url)
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert "private" in served.headers["Cache-Control"]
    assert not has_gps(served.data)
    assert paedagog.get(f"{url}?size=thumb").status_code == 200
    assert outsider.get(url).status_code == 404
    assert as_user("admin").get(url).status_code == 404
    familie.delete(f"/api/photos/{record.get_json()['id']}")
    assert paedagog.get(url).status_code == 404


def test_signed_out_and_read_only_callers_cannot_upload(client: ApiClient, as_user: Any
                                                       ) -> None:
    data = photo()
    assert upload(client, data).status_code == 401
    assert upload(as_user("admin"), data).status_code == 403
    assert client.get(f"/api/blobs/{uuid.uuid4().hex * 2}").status_code == 401


def test_a_photo_record_may_arrive_before_its_bytes(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    data = photo(seed=7)
    record = familie.post("/api/photos", {"meeting_id": demo["meeting"],
                                          "content_hash": sha(data), "size": len(data)})
    assert record.status_code == 201
    assert record.get_json()["uploaded"] is False
    assert familie.get(f"/api/blobs/{sha(data)}").status_code == 404
    upload(familie, data)
    assert familie.get(f"/api/photos/{record.get_json()['id']}").get_json()["uploaded"] is True
    assert familie.get(f"/api/blobs/{sha(data)}").status_code == 200
