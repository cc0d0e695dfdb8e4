"""Issue 10, item 6: input that gave a 500 (or a push ``server_error`` the tablet retries
forever) is a 4xx in the one error shape — per mutation in a push — and nothing else in the
batch is harmed.

Each push here carries the bad mutation between two good notes; both notes must be applied
and readable afterwards.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.attack.served import error_shape_problems
from tests.harness import ApiClient
from tests.server.syncclient import Device
from tests.server.world import created

GHOST = "00000000-0000-4000-8000-000000000000"  # well-formed, and nobody's id


def _refused(resp: Any, field: str | None = None) -> None:
    assert 400 <= resp.status_code < 500, f"{resp.status_code}: {resp.get_data(as_text=True)[:300]}"
    body = resp.get_json()
    assert not error_shape_problems(resp.status_code, resp.mimetype, body)
    if field:
        assert field in body["error"]["fields"], f"the error does not name {field}: {body}"


def _push_between_good_notes(device: Device, meeting: str, bad: dict[str, Any]) -> dict[str, Any]:
    """Push good note, the bad mutation, good note; return the bad one's result after
    checking that both notes went through and are on the server."""
    notes = [str(uuid.uuid4()), str(uuid.uuid4())]
    device.upsert("board_note", notes[0], meeting_id=meeting, column="worries", text="før")
    device.outbox.append(
        {"id": str(uuid.uuid4()), "base_version": None, "clock": device.stamp(), **bad}
    )
    device.upsert("board_note", notes[1], meeting_id=meeting, column="working", text="efter")
    results = device.push()
    assert [r["status"] for r in (results[0], results[2])] == ["applied", "applied"], results
    for note in notes:
        assert device.api.get(f"/api/notes/{note}").status_code == 200
    return results[1]


def _rejected(result: dict[str, Any], field: str | None = None) -> None:
    assert result["status"] == "rejected", result
    assert result["error"]["code"] != "server_error", (
        f"a server fault, which the tablet would send again forever: {result}"
    )
    assert not error_shape_problems(422, "application/json", {"error": result["error"]})
    if field:
        assert field in result["error"]["fields"], result


@pytest.fixture
def familie(as_user: Any) -> ApiClient:
    client: ApiClient = as_user("familie")
    return client


def test_a_conflict_mutation_with_no_fields(familie: ApiClient, demo: dict[str, Any]) -> None:
    device = Device(familie)
    note = created(
        familie.post(
            "/api/notes", {"meeting_id": demo["meeting"], "column": "worries", "text": "Først"}
        )
    )
    for text, node in (("A", str(uuid.uuid4())), ("B", str(uuid.uuid4()))):
        other = Device(familie, client_id=node)
        other.upsert("board_note", note["id"], text=text)
        other.outbox[0]["base_version"] = note["version"]
        other.push()
    conflict = next(c for c in device.pull() if c["entity"] == "conflict")
    result = _push_between_good_notes(
        device,
        demo["meeting"],
        {"entity": "conflict", "record_id": conflict["id"], "op": "upsert", "fields": {}},
    )
    _rejected(result)


@pytest.mark.parametrize("fields", [{}, {"resolved": True}])
def test_a_conflict_mutation_for_no_conflict(
    familie: ApiClient, demo: dict[str, Any], fields: dict[str, Any]
) -> None:
    """Conflicts are made by the server only: a tablet's "new" one is refused, alone."""
    result = _push_between_good_notes(
        Device(familie),
        demo["meeting"],
        {"entity": "conflict", "record_id": str(uuid.uuid4()), "op": "upsert", "fields": fields},
    )
    _rejected(result)


@pytest.mark.parametrize("where", ["text", "caption"])
def test_a_lone_surrogate_over_rest(familie: ApiClient, demo: dict[str, Any], where: str) -> None:
    if where == "text":
        resp = familie.post(
            "/api/notes",
            {"meeting_id": demo["meeting"], "column": "worries", "text": "før \ud800 efter"},
        )
    else:
        resp = familie.post(
            "/api/photos",
            {
                "meeting_id": demo["meeting"],
                "size": 3,
                "content_hash": "b" * 64,
                "caption": "\udfff",
            },
        )
    _refused(resp, where)


def test_a_lone_surrogate_in_a_push(familie: ApiClient, demo: dict[str, Any]) -> None:
    result = _push_between_good_notes(
        Device(familie),
        demo["meeting"],
        {
            "entity": "board_note",
            "record_id": str(uuid.uuid4()),
            "op": "upsert",
            "fields": {"meeting_id": demo["meeting"], "column": "worries", "text": "\ud800"},
        },
    )
    _rejected(result, "text")


def _dangling(demo: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], str]]:
    """(entity, URL, body, field) of a create naming a row that does not exist."""
    course, meeting = demo["course"], demo["meeting"]
    return [
        (
            "course",
            "/api/courses",
            {
                "child_id": demo["children"]["Noah"],
                "leader_id": GHOST,
                "concern_level": "moderate",
                "start_date": "2026-01-05",
            },
            "leader_id",
        ),
        (
            "task",
            "/api/tasks",
            {"course_id": course, "title": "T", "assignee_role": "educator", "assignee_id": GHOST},
            "assignee_id",
        ),
        (
            "consent",
            "/api/consents",
            {"course_id": course, "guardian_id": GHOST, "status": "requested"},
            "guardian_id",
        ),
        (
            "participant",
            "/api/participants",
            {"meeting_id": meeting, "name": "X", "role": "guardian", "guardian_id": GHOST},
            "guardian_id",
        ),
        (
            "participant",
            "/api/participants",
            {"meeting_id": meeting, "name": "X", "role": "family_unit", "user_id": GHOST},
            "user_id",
        ),
    ]


def _writer(entity: str, as_user: Any) -> ApiClient:
    # Noah has no course yet: his educator may open one; the family unit may not see him.
    client: ApiClient = as_user("paedagog" if entity == "course" else "familie")
    return client


@pytest.mark.parametrize("index", range(5))
def test_a_reference_to_nothing_over_rest(as_user: Any, demo: dict[str, Any], index: int) -> None:
    entity, url, body, field = _dangling(demo)[index]
    _refused(_writer(entity, as_user).post(url, body), field)


@pytest.mark.parametrize("index", range(5))
def test_a_reference_to_nothing_in_a_push(as_user: Any, demo: dict[str, Any], index: int) -> None:
    entity, _url, body, field = _dangling(demo)[index]
    result = _push_between_good_notes(
        Device(_writer(entity, as_user)),
        demo["meeting"],
        {"entity": entity, "record_id": str(uuid.uuid4()), "op": "upsert", "fields": body},
    )
    _rejected(result, field)


def test_a_reference_to_nothing_in_a_change(familie: ApiClient, demo: dict[str, Any]) -> None:
    """Not only creates: moving the leader to nobody (REST and push)."""
    _refused(familie.patch(f"/api/courses/{demo['course']}", {"leader_id": GHOST}), "leader_id")
    result = _push_between_good_notes(
        Device(familie),
        demo["meeting"],
        {
            "entity": "course",
            "record_id": demo["course"],
            "op": "upsert",
            "fields": {"leader_id": GHOST},
        },
    )
    _rejected(result, "leader_id")
    assert (
        familie.get(f"/api/courses/{demo['course']}").get_json()["leader_id"]
        == demo["users"]["familie"]
    )


def test_a_member_who_does_not_exist(familie: ApiClient, demo: dict[str, Any]) -> None:
    _refused(familie.post(f"/api/courses/{demo['course']}/members", {"user_id": GHOST}), "user_id")
