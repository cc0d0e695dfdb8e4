"""Knowing a photo's hash gives nothing (issue 10 item 2): proof of possession, attacked.

Emma's board photo is uploaded by the family unit worker who took it. Staff of another
institution, a psychologist on no course and an admin learn its hash, and try every way the
API offers to get its bytes or to learn that the server has them. The legitimate readers
still get it: its author, the course's staff and Emma's guardians on their phones.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from server.courses.pdf_check import sanitize_pdf
from tests.documents import plain_pdf
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, invitation_links, phone, publish
from tests.server.stores import app_config
from tests.server.syncclient import Device
from tests.server.world import created
from tests.sync.images import photo, sha

__all__ = ["app_config"]  # both stores for every test here

SIZES = ("", "?size=thumb", "?size=display")


def upload(client: ApiClient, data: bytes) -> Any:
    return client.put(f"/api/blobs/{sha(data)}", data=data, headers={"Content-Type": "image/jpeg"})


@pytest.fixture
def emma_photo(as_user: Any, demo: dict[str, Any]) -> bytes:
    """Emma's board photo, uploaded and recorded by the family unit worker."""
    data = photo(size=(1600, 1200), seed=42)
    familie = as_user("familie")
    assert upload(familie, data).status_code == 200
    created(
        familie.post(
            "/api/photos",
            {"meeting_id": demo["meeting"], "content_hash": sha(data), "size": len(data)},
        )
    )
    return data


def outsiders_meeting(outsider: ApiClient, familie: ApiClient, demo: dict[str, Any]) -> str:
    """A course and meeting of the other institution (Freja at Skovbørnehaven)."""
    leader = familie.get("/api/auth/me").get_json()["user"]["id"]
    course = created(
        outsider.post(
            "/api/courses",
            {
                "child_id": demo["children"]["Freja"],
                "leader_id": leader,
                "concern_level": "moderate",
                "start_date": datetime.now(UTC).date().isoformat(),
            },
        )
    )
    return str(
        created(
            outsider.post(
                "/api/meetings",
                {
                    "course_id": course["id"],
                    "kind": "start",
                    "starts_at": (datetime.now(UTC) + timedelta(hours=3)).isoformat(),
                },
            )
        )["id"]
    )


def gets_nothing(client: ApiClient, digest: str) -> None:
    for size in SIZES:
        assert client.get(f"/api/blobs/{digest}{size}").status_code == 404, size
    assert client.post("/api/blobs/missing", {"hashes": [digest]}).get_json() == {
        "missing": [digest]
    }


def refusal(client: ApiClient, meeting: str, digest: str, size: int) -> tuple[int, Any]:
    """The answer to a photo record naming ``digest``, by REST."""
    resp = client.post("/api/photos", {"meeting_id": meeting, "content_hash": digest, "size": size})
    return resp.status_code, resp.get_json()


def pushed_refusal(tablet: Device, meeting: str, digest: str, size: int) -> dict[str, Any]:
    """The answer to a photo record naming ``digest``, pushed with a note that must stand."""
    tablet.upsert(
        "board_photo", str(uuid.uuid4()), meeting_id=meeting, content_hash=digest, size=size
    )
    tablet.upsert(
        "board_note",
        str(uuid.uuid4()),
        meeting_id=meeting,
        column="worries",
        text="Freja savner sin far",
    )
    photo_result, note_result = tablet.push()
    assert note_result["status"] == "applied"  # one refusal harms nothing else in the batch
    tablet.outbox.clear()
    return {k: v for k, v in photo_result.items() if k != "id"}


def test_a_record_naming_another_childs_photo_is_refused_as_for_bytes_nobody_has(
    as_user: Any, demo: dict[str, Any], emma_photo: bytes
) -> None:
    """The reproduced attack: another institution's staff make a record in their own meeting
    carrying Emma's photo hash. It is refused (photo_not_uploaded), exactly as a record naming
    bytes the server never had: the refusal confirms nothing, and no way leads to the bytes."""
    familie, outsider = as_user("familie"), as_user("paedagog2")
    digest, size = sha(emma_photo), len(emma_photo)
    never = sha(b"bytes the server never had")
    gets_nothing(outsider, digest)
    meeting = outsiders_meeting(outsider, familie, demo)
    status, body = refusal(outsider, meeting, digest, size)
    assert status == 422 and body["error"]["code"] == "photo_not_uploaded"
    assert (status, body) == refusal(outsider, meeting, never, size)
    tablet = Device(outsider)
    result = pushed_refusal(tablet, meeting, digest, size)
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "photo_not_uploaded"
    assert result == pushed_refusal(tablet, meeting, never, size)
    assert familie.get(f"/api/meetings/{meeting}/photos").get_json() == []
    gets_nothing(outsider, digest)


def test_no_other_role_learns_of_a_photo(
    as_user: Any, demo: dict[str, Any], emma_photo: bytes
) -> None:
    digest = sha(emma_photo)
    for name in ("paedagog2", "ppr", "admin"):  # other institution, on no course, admin
        gets_nothing(as_user(name), digest)
    assert (
        as_user("ppr")
        .post("/api/photos", {"meeting_id": demo["meeting"], "content_hash": digest, "size": 9})
        .status_code
        == 404
    )
    assert upload(as_user("admin"), emma_photo).status_code == 403


def test_its_readers_still_get_it(
    app: Flask, as_user: Any, demo: dict[str, Any], emma_photo: bytes
) -> None:
    familie, paedagog = as_user("familie"), as_user("paedagog")
    digest = sha(emma_photo)
    for reader in (familie, paedagog):
        for size in SIZES:
            assert reader.get(f"/api/blobs/{digest}{size}").status_code == 200, size
        assert reader.post("/api/blobs/missing", {"hashes": [digest]}).get_json() == {"missing": []}
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    report = mor.get(f"/p/reports/{demo['meeting']}.json").get_json()["report"]
    ids = [p["id"] for p in report["photos"]]
    assert len(ids) == 2  # Emma's photo and the one fill_meeting took
    for photo_id in ids:
        base = f"/p/reports/{demo['meeting']}/photos/{photo_id}"
        assert mor.get(base).status_code == 200
        assert mor.get(f"{base}?full=1").status_code == 200


def test_a_colleague_may_name_a_photo_she_can_already_read(
    as_user: Any, demo: dict[str, Any], emma_photo: bytes
) -> None:
    """The educator on Emma's course files the same board photo under another meeting of
    the course (her tablet never had the bytes): she could read them, so they are served."""
    familie, paedagog = as_user("familie"), as_user("paedagog")
    second = created(
        familie.post(
            "/api/meetings",
            {
                "course_id": demo["course"],
                "kind": "follow_up",
                "starts_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
            },
        )
    )["id"]
    record = created(
        paedagog.post(
            "/api/photos",
            {"meeting_id": second, "content_hash": sha(emma_photo), "size": len(emma_photo)},
        )
    )
    assert record["uploaded"] is True
    assert paedagog.get(f"/api/blobs/{sha(emma_photo)}").status_code == 200


def test_uploading_the_bytes_is_the_proof(
    as_user: Any, demo: dict[str, Any], emma_photo: bytes
) -> None:
    """Someone who really has the photo (a parent mailed it to the other daycare) proves it
    by uploading it: the answer is the same as for a new photo, nothing is stored twice, and
    then her record may name it."""
    familie, outsider = as_user("familie"), as_user("paedagog2")
    meeting = outsiders_meeting(outsider, familie, demo)
    body = {"meeting_id": meeting, "content_hash": sha(emma_photo), "size": len(emma_photo)}
    assert outsider.post("/api/photos", body).status_code == 422
    fresh = photo(seed=99)
    assert upload(outsider, emma_photo).get_json() == {"received": len(emma_photo)}
    assert upload(outsider, fresh).get_json() == {"received": len(fresh)}
    record = created(outsider.post("/api/photos", body))
    assert record["uploaded"] is True
    assert outsider.get(f"/api/blobs/{sha(emma_photo)}").status_code == 200


def test_a_records_photo_cannot_be_swapped_for_another_after_creation(
    as_user: Any, demo: dict[str, Any], emma_photo: bytes
) -> None:
    """The proof is taken when the record is made; changing its hash later would skip it."""
    familie, outsider = as_user("familie"), as_user("paedagog2")
    meeting = outsiders_meeting(outsider, familie, demo)
    own = photo(seed=5)
    upload(outsider, own)
    record = created(
        outsider.post(
            "/api/photos", {"meeting_id": meeting, "content_hash": sha(own), "size": len(own)}
        )
    )
    swapped = outsider.patch(f"/api/photos/{record['id']}", {"content_hash": sha(emma_photo)})
    assert swapped.status_code == 422
    tablet = Device(outsider)
    tablet.pull()
    tablet.upsert("board_photo", record["id"], content_hash=sha(emma_photo))
    result = tablet.push()[0]
    assert result["status"] == "rejected" and "content_hash" in result["error"]["fields"]
    gets_nothing(outsider, sha(emma_photo))


def test_documents_are_reached_by_course_access_only(as_user: Any, demo: dict[str, Any]) -> None:
    """A document's hash is never asked for, shown or usable: not as a photo, not for
    /missing, and uploading the same file elsewhere says nothing about the first."""
    familie, outsider = as_user("familie"), as_user("paedagog2")
    data = plain_pdf("Emmas ressourcevurdering")
    first = created(
        familie.post(
            f"/api/courses/{demo['course']}/attachments",
            data={"file": (io.BytesIO(data), "res.pdf"), "title": "Ressourcevurdering"},
            content_type="multipart/form-data",
        )
    )
    assert "content_hash" not in first
    digest = sha(sanitize_pdf(data))  # the stored copy's hash (qpdf's rewrite)
    gets_nothing(outsider, digest)
    meeting = outsiders_meeting(outsider, familie, demo)
    named = outsider.post(
        "/api/photos", {"meeting_id": meeting, "content_hash": digest, "size": len(data)}
    )
    assert (named.status_code, named.get_json()["error"]["code"]) == (422, "photo_not_uploaded")
    gets_nothing(outsider, digest)
    assert outsider.get(f"/api/attachments/{first['id']}/file").status_code == 404
    freja_course = familie.get(f"/api/meetings/{meeting}").get_json()["course_id"]
    second = created(
        outsider.post(
            f"/api/courses/{freja_course}/attachments",
            data={"file": (io.BytesIO(data), "res.pdf"), "title": "Ressourcevurdering"},
            content_type="multipart/form-data",
        )
    )
    assert set(second) == set(first) and second["id"] != first["id"]
    assert outsider.get(f"/api/attachments/{second['id']}/file").data == sanitize_pdf(data)
