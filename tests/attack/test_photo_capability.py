"""Issue 10, item 2: knowing a photo's hash must not be a key to it.

The attack: staff of another institution make a ``board_photo`` record in a meeting of their
own that names the hash of another child's photo, then ask for the bytes and the thumbnail.
Content-addressing is no capability: a record may name bytes only when its author uploaded
them or can already read them, and the server never confirms to an outsider that it holds
them (``/api/blobs/missing``, the upload state).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.attack.seed import small_image
from tests.attack.served import error_shape_problems
from tests.harness import ApiClient
from tests.server.syncclient import SYNC
from tests.server.world import created


@pytest.fixture
def stolen(as_user: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """Emma's board photo on the server, and an educator of the other institution with a
    meeting of her own (Freja's course at Skovbørnehaven)."""
    familie = as_user("familie")
    image = small_image("JPEG", seed=11)
    digest = hashlib.sha256(image).hexdigest()
    assert (
        familie.put(
            f"/api/blobs/{digest}", data=image, headers={"Content-Type": "image/jpeg"}
        ).status_code
        == 200
    )
    created(
        familie.post(
            "/api/photos",
            {
                "meeting_id": demo["meeting"],
                "content_hash": digest,
                "size": len(image),
                "content_type": "image/jpeg",
            },
        )
    )
    thief = as_user("paedagog2")
    course = created(
        thief.post(
            "/api/courses",
            {
                "child_id": demo["children"]["Freja"],
                "leader_id": demo["users"]["familie"],
                "concern_level": "moderate",
                "start_date": date.today().isoformat(),
            },
        )
    )
    meeting = created(
        thief.post(
            "/api/meetings",
            {
                "course_id": course["id"],
                "kind": "start",
                "starts_at": (datetime.now(UTC) + timedelta(hours=2)).isoformat(),
            },
        )
    )
    return {
        "digest": digest,
        "size": len(image),
        "thief": thief,
        "meeting": meeting["id"],
        "unknown": hashlib.sha256(b"never uploaded").hexdigest(),
    }


def _photo_record_by_rest(s: dict[str, Any]) -> Any:
    return s["thief"].post(
        "/api/photos", {"meeting_id": s["meeting"], "content_hash": s["digest"], "size": s["size"]}
    )


def _photo_record_by_push(s: dict[str, Any]) -> dict[str, Any]:
    resp = s["thief"].post(
        "/api/sync/push",
        {
            "client_id": str(uuid.uuid4()),
            "mutations": [
                {
                    "id": str(uuid.uuid4()),
                    "entity": "board_photo",
                    "record_id": str(uuid.uuid4()),
                    "op": "upsert",
                    "fields": {
                        "meeting_id": s["meeting"],
                        "content_hash": s["digest"],
                        "size": s["size"],
                        "content_type": "image/jpeg",
                    },
                    "base_version": None,
                    "clock": "1795000000000:00000:thief",
                }
            ],
        },
        headers=SYNC,
    )
    assert resp.status_code == 200, resp.get_json()
    return dict(resp.get_json()["results"][0])


def _answer(client: ApiClient, url: str) -> tuple[int, str, bytes]:
    resp = client.get(url)
    return resp.status_code, resp.mimetype or "", resp.data


@pytest.mark.parametrize("how", ["rest", "push"])
def test_naming_a_foreign_hash_does_not_unlock_the_bytes(stolen: dict[str, Any], how: str) -> None:
    if how == "rest":
        _photo_record_by_rest(stolen)
    else:
        _photo_record_by_push(stolen)
    thief = stolen["thief"]
    for variant in ("", "?size=thumb"):
        got = _answer(thief, f"/api/blobs/{stolen['digest']}{variant}")
        unknown = _answer(thief, f"/api/blobs/{stolen['unknown']}{variant}")
        assert got[0] == 404, f"another child's photo was served ({variant}): {got[0]}"
        assert got == unknown, "the refusal differs from the one for bytes that do not exist"


def test_a_record_may_not_name_bytes_its_author_never_had(stolen: dict[str, Any]) -> None:
    resp = _photo_record_by_rest(stolen)
    assert 400 <= resp.status_code < 500, (
        f"REST accepted a photo record naming bytes its author never had: {resp.status_code}"
    )
    assert not error_shape_problems(resp.status_code, resp.mimetype, resp.get_json())
    result = _photo_record_by_push(stolen)
    assert result["status"] == "rejected", f"push accepted it: {result}"
    assert result["error"]["code"] != "server_error", result
    assert not error_shape_problems(400, "application/json", {"error": result["error"]})


def test_existence_is_not_confirmed_to_an_outsider(stolen: dict[str, Any]) -> None:
    thief = stolen["thief"]
    missing = thief.post("/api/blobs/missing", {"hashes": [stolen["digest"], stolen["unknown"]]})
    assert missing.status_code == 200, missing.get_json()
    assert set(missing.get_json()["missing"]) == {stolen["digest"], stolen["unknown"]}, (
        "/api/blobs/missing told another institution that the photo exists"
    )
    state = thief.get(f"/api/blobs/{stolen['digest']}/upload")
    ghost = thief.get(f"/api/blobs/{stolen['unknown']}/upload")
    assert (state.status_code, state.get_json()) == (ghost.status_code, ghost.get_json()), (
        f"the upload state confirms the photo: {state.get_json()} vs {ghost.get_json()}"
    )


def test_the_owner_still_reads_her_photo(stolen: dict[str, Any], as_user: Any) -> None:
    """The refusals above must not come from a store that serves nobody."""
    familie = as_user("familie")
    assert familie.get(f"/api/blobs/{stolen['digest']}").status_code == 200
    assert familie.get(f"/api/blobs/{stolen['digest']}?size=thumb").status_code == 200
    missing = familie.post("/api/blobs/missing", {"hashes": [stolen["digest"]]}).get_json()
    assert missing["missing"] == []
