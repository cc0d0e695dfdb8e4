"""Inputs that used to give 500 (issue 10 item 6): each is a 4xx in the one error shape over
REST, and a rejection of that mutation alone in a push, stored like any rejection (so a
tablet does not send it forever) while the rest of the batch is applied."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.harness import ApiClient
from tests.server.syncclient import SYNC, Device


def new_id() -> str:
    return str(uuid.uuid4())


def deep(levels: int) -> Any:
    value: Any = "bund"
    for _ in range(levels):
        value = [value]
    return value


def poisons(demo: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any], str]]:
    """name → (entity, fields of a create, the field the refusal must name)."""
    meeting, course = demo["meeting"], demo["course"]
    missing = new_id()
    return {
        "lone surrogate": (
            "board_note",
            {"meeting_id": meeting, "column": "worries", "text": "Emma \ud800 siger"},
            "text",
        ),
        "NUL character": (
            "agreement",
            {"meeting_id": meeting, "what": "Ring\x00 til mor", "owner": "family_unit"},
            "what",
        ),
        "surrogate in a field name": (
            "board_note",
            {"meeting_id": meeting, "column": "working", "text": "x", "\udfff": 1},
            "\\udfff",
        ),
        "deep nesting": (
            "board_note",
            {"meeting_id": meeting, "column": "working", "text": deep(40)},
            "text",
        ),
        "missing guardian": (
            "participant",
            {"meeting_id": meeting, "name": "Olga", "role": "guardian", "guardian_id": missing},
            "guardian_id",
        ),
        "missing user": (
            "participant",
            {"meeting_id": meeting, "name": "Ulla", "role": "educator", "user_id": missing},
            "user_id",
        ),
        "missing assignee": (
            "task",
            {
                "course_id": course,
                "title": "Ring",
                "assignee_role": "educator",
                "assignee_id": missing,
            },
            "assignee_id",
        ),
        "missing task meeting": (
            "task",
            {
                "course_id": course,
                "title": "Ring",
                "assignee_role": "educator",
                "meeting_id": missing,
            },
            "meeting_id",
        ),
        "missing leader": (
            "course",
            {
                "child_id": demo["children"]["Emma"],
                "leader_id": missing,
                "concern_level": "moderate",
                "start_date": "2026-12-01",
            },
            "leader_id",
        ),
        "missing consent guardian": (
            "consent",
            {"course_id": course, "guardian_id": missing, "status": "requested"},
            "guardian_id",
        ),
        "time beyond year 9999": (
            "meeting",
            {"course_id": course, "kind": "follow_up", "starts_at": "9999-12-31T23:30:00-14:00"},
            "starts_at",
        ),
        "photo size beyond a 32-bit integer": (
            "board_photo",
            {"meeting_id": meeting, "content_hash": "b" * 64, "size": 10**12},
            "size",
        ),
        "e-mail longer than its column": (
            "guardian",
            {
                "child_id": demo["children"]["Emma"],
                "name": "Mor",
                "email": "m" * 64 + "@" + ".".join(["d" * 60] * 5) + ".dk",
            },
            "email",
        ),
    }


def test_a_batch_with_one_poisonous_mutation_of_each_kind_applies_the_others(
    as_user: Any, demo: dict[str, Any]
) -> None:
    tablet = Device(as_user("familie"))
    good = [new_id() for _ in range(3)]
    tablet.upsert("board_note", good[0], meeting_id=demo["meeting"], column="worries", text="først")
    cases = poisons(demo)
    for entity, fields, _ in cases.values():
        tablet.upsert(entity, new_id(), **fields)
        tablet.upsert(
            "board_note", good[1], meeting_id=demo["meeting"], column="working", text="imellem"
        ) if len(tablet.outbox) == 2 else None
    tablet.upsert("conflict", new_id(), resolved=True)  # the server alone makes conflicts
    tablet.upsert(
        "board_note", good[2], meeting_id=demo["meeting"], column="next_steps", text="sidst"
    )
    batch = list(tablet.outbox)
    results = tablet.push()
    by_id = {m["id"]: r for m, r in zip(batch, results, strict=True)}
    applied = [r for m, r in zip(batch, results, strict=True) if m["record_id"] in good]
    assert [r["status"] for r in applied] == ["applied", "applied", "applied"]
    refused = [r for m, r in zip(batch, results, strict=True) if m["record_id"] not in good]
    assert len(refused) == len(cases) + 1
    for (name, (_, _, field)), result in zip(cases.items(), refused, strict=False):
        assert result["status"] == "rejected", (name, result)
        assert result["error"]["code"] == "invalid", (name, result)
        assert any(
            key.removeprefix("fields.").startswith(field) for key in result["error"]["fields"]
        ), (name, result)
    assert refused[-1]["error"]["code"] == "forbidden"
    # Refusals are stored like any: the same batch again is answered the same, changes nothing.
    tablet.outbox = batch
    again = tablet.push()
    for mutation, result in zip(batch, again, strict=True):
        first = by_id[mutation["id"]]
        if first["status"] == "rejected":
            assert result["error"] == first["error"], (result, first)
        else:
            assert (result["status"], result["first_status"]) == ("duplicate", "applied")
    notes = tablet.api.get(f"/api/meetings/{demo['meeting']}/notes").get_json()
    assert sorted(n["text"] for n in notes) == ["først", "imellem", "sidst"]


@pytest.mark.parametrize(
    "case", list(poisons({"meeting": "m", "course": "c", "children": {"Emma": "e"}}))
)
def test_the_same_input_over_rest_is_a_4xx_in_the_error_shape(
    as_user: Any, demo: dict[str, Any], case: str
) -> None:
    entity, fields, field = poisons(demo)[case]
    plural = {
        "board_note": "notes",
        "agreement": "agreements",
        "participant": "participants",
        "task": "tasks",
        "course": "courses",
        "consent": "consents",
        "meeting": "meetings",
        "board_photo": "photos",
        "guardian": "guardians",
    }[entity]
    resp = as_user("familie").post(f"/api/{plural}", fields)
    assert resp.status_code == 422, (case, resp.status_code, resp.get_data(as_text=True))
    error = resp.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert any(key.startswith(field) for key in error["fields"]), (case, error)


def test_json_too_deep_to_read_is_a_400_and_harms_nothing(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie: ApiClient = as_user("familie")
    body = "[" * 50_000 + "]" * 50_000
    for url, headers in (("/api/notes", {}), ("/api/sync/push", SYNC), ("/api/auth/login", {})):
        resp = familie.post(url, data=body, content_type="application/json", headers=headers)
        assert resp.status_code == 400, (url, resp.get_data(as_text=True)[:200])
        assert resp.get_json()["error"]["code"] == "bad_request"
    tablet = Device(familie)
    tablet.upsert(
        "board_note", new_id(), meeting_id=demo["meeting"], column="worries", text="stadig her"
    )
    assert tablet.push()[0]["status"] == "applied"


def test_a_push_body_too_deep_outside_the_mutations_is_refused_whole(
    as_user: Any,
) -> None:
    resp = as_user("familie").post(
        "/api/sync/push", {"client_id": deep(40), "mutations": []}, headers=SYNC
    )
    assert resp.status_code == 422
    assert "client_id" in "".join(resp.get_json()["error"]["fields"])
