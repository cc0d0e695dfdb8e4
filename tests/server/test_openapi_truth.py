"""The API document tells the truth (issue 10 item 10): real answers of the main routes,
successes and errors, validated against /api/openapi.json with openapi-core.

(The broad fuzzing over every route is tests/attack/; this makes the document right: the
error body is the one server/errors.py sends, and what is null until set is nullable.)
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from werkzeug.test import TestResponse

from tests.harness import ApiClient
from tests.harness.children import new_child
from tests.server.reporting import upload
from tests.server.syncclient import SYNC, Device
from tests.server.world import created
from tests.sync.images import photo, sha


@pytest.fixture
def document(client: ApiClient) -> OpenAPI:
    return OpenAPI.from_dict(client.get("/api/openapi.json").get_json())


def conforms(document: OpenAPI, resp: TestResponse, status: int) -> Any:
    """The answer has the expected status and matches what the document says of it."""
    assert resp.status_code == status, (resp.request.path, resp.get_data(as_text=True)[:300])
    # The request is only asked for its method and path (its body was read by the app).
    request = MockRequest("http://localhost", resp.request.method, resp.request.path)
    response = MockResponse(
        resp.get_data(),
        resp.status_code,
        dict(resp.headers),
        (resp.mimetype or "") if resp.get_data() else "",
    )
    document.validate_response(request, response)
    body: dict[str, Any] = resp.get_json() if resp.is_json and resp.get_data() else {}
    return body


def test_the_error_body_is_documented_as_sent(document: OpenAPI, client: ApiClient) -> None:
    spec = client.get("/api/openapi.json").get_json()
    error = spec["components"]["schemas"]["Error"]
    assert list(error["properties"]) == ["error"]
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "fields"}
    assert set(detail["required"]) == {"code", "message", "fields"}


def test_successes_match_the_document(
    app: Flask, as_user: Any, demo: dict[str, Any], document: OpenAPI
) -> None:
    familie: ApiClient = as_user("familie")
    meeting, course = demo["meeting"], demo["course"]
    conforms(document, familie.get("/api/auth/me"), 200)
    conforms(document, familie.get("/api/institutions"), 200)
    conforms(document, familie.get("/api/children"), 200)
    conforms(document, familie.get("/api/courses"), 200)
    course_body = conforms(document, familie.get(f"/api/courses/{course}"), 200)
    assert course_body["closed_at"] is None  # null until the course is closed
    meeting_body = conforms(document, familie.get(f"/api/meetings/{meeting}"), 200)
    assert meeting_body["finished_at"] is None
    conforms(document, familie.get(f"/api/courses/{course}/meetings"), 200)
    conforms(document, familie.get(f"/api/courses/{course}/members"), 200)
    conforms(document, familie.get(f"/api/meetings/{meeting}/participants"), 200)
    emma = demo["children"]["Emma"]
    conforms(document, familie.get(f"/api/children/{emma}"), 200)
    guardians = conforms(document, familie.get(f"/api/children/{emma}/guardians"), 200)
    conforms(
        document,
        familie.get(f"/api/institutions/{demo['institutions']['Solsikken']}/children"),
        200,
    )
    conforms(
        document,
        familie.post(
            "/api/consents",
            {
                "course_id": course,
                "guardian_id": guardians[0]["id"],
                "status": "granted",
                "granted_at": datetime.now(UTC).isoformat(),
            },
        ),
        201,
    )
    conforms(document, familie.post("/api/minutes", {"meeting_id": meeting, "text": "x"}), 201)
    conforms(
        document,
        familie.post(
            "/api/participants",
            {
                "meeting_id": meeting,
                "name": "Pia",
                "role": "educator",
                "user_id": demo["users"]["paedagog"],
            },
        ),
        201,
    )
    note = conforms(
        document,
        familie.post(
            "/api/notes", {"meeting_id": meeting, "column": "worries", "text": "Emma sover dårligt"}
        ),
        201,
    )
    conforms(document, familie.patch(f"/api/notes/{note['id']}", {"position": 2.5}), 200)
    conforms(document, familie.get(f"/api/meetings/{meeting}/notes"), 200)
    conforms(document, familie.delete(f"/api/notes/{note['id']}"), 204)
    task = conforms(
        document,
        familie.post(
            "/api/tasks",
            {"course_id": course, "title": "Ring til mor", "assignee_role": "family_unit"},
        ),
        201,
    )
    assert task["done_at"] is None and task["due_date"] is None
    conforms(
        document,
        familie.post(
            "/api/agreements",
            {"meeting_id": meeting, "what": "Fast voksen", "owner": "institution"},
        ),
        201,
    )
    finished = conforms(
        document,
        familie.patch(
            f"/api/meetings/{meeting}",
            {
                "status": "finished",
                "child_participation": "whole",
                "next_meeting_at": (datetime.now(UTC) + timedelta(days=20)).isoformat(),
            },
        ),
        200,
    )
    assert finished["finished_at"] is not None
    report = conforms(document, familie.post("/api/reports", {"meeting_id": meeting}), 201)
    conforms(document, familie.get(f"/api/reports/{report['id']}"), 200)
    image = photo(seed=3)
    upload(familie, image)  # a photo record may name only bytes its author uploaded
    conforms(
        document,
        familie.post(
            "/api/photos", {"meeting_id": meeting, "content_hash": sha(image), "size": len(image)}
        ),
        201,
    )
    tablet = Device(familie)
    tablet.upsert(
        "board_note", str(uuid.uuid4()), meeting_id=meeting, column="working", text="fra tabletten"
    )
    conforms(
        document,
        familie.post(
            "/api/sync/push",
            {"client_id": tablet.client_id, "mutations": tablet.outbox},
            headers=SYNC,
        ),
        200,
    )
    conforms(document, familie.get("/api/sync/pull?limit=50", headers=SYNC), 200)
    conforms(document, as_user("admin").get("/api/users"), 200)


def test_errors_match_the_document(
    as_user: Any, client: ApiClient, demo: dict[str, Any], document: OpenAPI
) -> None:
    familie: ApiClient = as_user("familie")
    meeting, course = demo["meeting"], demo["course"]
    conforms(document, client.get("/api/courses"), 401)
    conforms(document, familie.get(f"/api/courses/{uuid.uuid4()}"), 404)
    conforms(document, as_user("paedagog2").get(f"/api/meetings/{meeting}/notes"), 404)
    conforms(
        document,
        as_user("ppr").post(
            "/api/children",
            new_child("X", "Y", demo["institutions"]["Solsikken"]),
        ),
        403,
    )
    conforms(document, familie.post("/api/notes", {"meeting_id": meeting, "column": "x"}), 422)
    conforms(
        document,
        familie.post(
            "/api/tasks",
            {
                "course_id": course,
                "title": "x",
                "assignee_role": "educator",
                "assignee_id": str(uuid.uuid4()),
            },
        ),
        422,
    )
    conforms(
        document, familie.post("/api/notes", data="{nope", content_type="application/json"), 400
    )
    conforms(document, familie.patch(f"/api/meetings/{meeting}", {"status": "finished"}), 422)
    note = created(
        familie.post("/api/notes", {"meeting_id": meeting, "column": "working", "text": "x"})
    )
    conforms(
        document,
        familie.post(
            "/api/notes",
            {"id": note["id"], "meeting_id": meeting, "column": "working", "text": "x"},
        ),
        409,
    )
    conforms(
        document,
        familie.post("/api/sync/push", {"client_id": str(uuid.uuid4()), "mutations": []}),
        426,
    )
    conforms(document, familie.get("/api/sync/pull?limit=5000", headers=SYNC), 413)
    conforms(document, familie.get("/api/sync/pull?cursor=forged", headers=SYNC), 400)
    conforms(document, familie.post(f"/api/courses/{course}/hand-over"), 422)
