"""One error shape everywhere, the OpenAPI document and the offline API reference."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openapi_spec_validator import validate

from server import create_app
from tests.harness import ApiClient, migrated_database_url, settings


def _is_error_shape(body: Any) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return (
        isinstance(error, dict)
        and set(error) == {"code", "message", "fields"}
        and isinstance(error["message"], str)
        and error["message"] != ""
        and isinstance(error["fields"], dict)
    )


def test_every_kind_of_error_has_the_same_shape(as_user: Any, demo: dict[str, Any]) -> None:
    familie: ApiClient = as_user("familie")
    answers = [
        (familie.get("/api/courses/not-a-uuid"), 404),
        (familie.get("/api/no-such-endpoint"), 404),
        (familie.put("/api/courses", {}), 405),
        (familie.post("/api/notes", {"meeting_id": demo["meeting"], "column": "sideways"}), 422),
        (familie.post("/api/notes", data="{not json", content_type="application/json"), 400),
        (familie.post("/api/users", {"email": "x@example.org"}), 403),
    ]
    for resp, status in answers:
        assert resp.status_code == status, resp.get_data(as_text=True)
        assert _is_error_shape(resp.get_json()), resp.get_data(as_text=True)


def test_422_names_each_bad_field(as_user: Any, demo: dict[str, Any]) -> None:
    resp = as_user("familie").post(
        "/api/agreements",
        {
            "meeting_id": demo["meeting"],
            "what": "",
            "owner": "the neighbours",
            "due_date": "next tuesday",
        },
    )
    assert resp.status_code == 422
    fields = resp.get_json()["error"]["fields"]
    assert set(fields) == {"what", "owner", "due_date"}


def test_unknown_fields_are_refused_not_silently_dropped(
    as_user: Any, demo: dict[str, Any]
) -> None:
    resp = as_user("familie").post(
        "/api/notes",
        {"meeting_id": demo["meeting"], "column": "worries", "text": "x", "colour": "red"},
    )
    assert resp.status_code == 422
    assert "colour" in resp.get_json()["error"]["fields"]


def test_openapi_document_is_valid_and_covers_the_api(client: ApiClient) -> None:
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200
    spec = resp.get_json()
    validate(spec)
    for path in (
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/institutions",
        "/api/users",
        "/api/children",
        "/api/courses",
        "/api/meetings",
        "/api/notes",
        "/api/photos",
        "/api/agreements",
        "/api/minutes",
        "/api/participants",
        "/api/consents",
        "/api/tasks",
    ):
        assert path in spec["paths"], path
    assert "MeetingUpdate" in spec["components"]["schemas"]


def test_api_reference_page_is_readable_offline(client: ApiClient) -> None:
    resp = client.get("/api/docs")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "/api/auth/login" in html
    assert "BoardNote" in html
    # nothing fetched from elsewhere: no external scripts, styles, fonts or images
    assert not re.search(r"""(src|href)\\s*=\\s*["']?(https?:)?//""", html)


def test_child_data_reads_and_writes_are_audited(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    from sqlalchemy import select

    from server.extensions import db
    from server.models import AuditEntry

    familie: ApiClient = as_user("familie")
    familie.get(f"/api/courses/{demo['course']}")
    note = familie.post(
        "/api/notes",
        {"meeting_id": demo["meeting"], "column": "working", "text": "Emma hjælper de små"},
    ).get_json()
    familie.patch(f"/api/notes/{note['id']}", {"text": "Emma hjælper gerne de små"})
    as_user("paedagog2").get(f"/api/courses/{demo['course']}")  # refused: no access
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.child_id == demo["children"]["Emma"])
        ).all()
    seen = {(r.actor_id, r.action, r.entity, r.record_id) for r in rows}
    familie_id = demo["users"]["familie"]
    assert (familie_id, "read", "course", demo["course"]) in seen
    assert (familie_id, "create", "board_note", note["id"]) in seen
    assert (familie_id, "update", "board_note", note["id"]) in seen
    assert all(r.actor_id != demo["users"]["paedagog2"] for r in rows)


def test_access_log_command_prints_who_read_a_child(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    as_user("paedagog").get(f"/api/courses/{demo['course']}")
    result = app.test_cli_runner().invoke(args=["access-log", demo["children"]["Emma"]])
    assert result.exit_code == 0, result.output
    assert "Emma" in result.output
    assert "Peter Pædagog" in result.output
    assert "read" in result.output
    missing = app.test_cli_runner().invoke(args=["access-log", "no-such-child"])
    assert missing.exit_code != 0


def test_an_app_serves_its_own_api_document_whatever_apps_are_built_after_it(
    app: Flask, tmp_path: Path
) -> None:
    """The API document once belonged to the process, not the app: it was the document of
    the app built last, and empty when that build stopped at a refused setting (here: the
    municipality's login without its client id), so an app kept running (gunicorn's, or one
    the test harness hands on) answered with no paths."""
    create_app(settings(tmp_path, migrated_database_url(tmp_path, "other")))
    with pytest.raises(RuntimeError):
        create_app(
            settings(
                tmp_path,
                migrated_database_url(tmp_path, "refused"),
                STAFF_OIDC_ISSUER="https://login.example.dk",
            )
        )
    client = app.test_client()
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/auth/login" in spec["paths"] and "/api/admin/outbox" in spec["paths"]
    assert "/api/auth/login" in client.get("/api/docs").get_data(as_text=True)
