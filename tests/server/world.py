"""Builds a second, complete course through the API, as a user of another institution would.

The access tests point every role at these records and expect to learn nothing of them.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.harness import ApiClient
from tests.harness.children import new_child
from tests.sync.images import photo


def created(resp: Any) -> dict[str, Any]:
    assert resp.status_code == 201, resp.get_json()
    body: dict[str, Any] = resp.get_json()
    return body


def uploaded_photo(client: ApiClient, seed: int) -> dict[str, Any]:
    """A board photo's bytes, uploaded by ``client`` (a record may name only bytes its author
    uploaded), as the fields of its record."""
    image = photo(size=(64, 48), with_gps=False, seed=seed)
    digest = hashlib.sha256(image).hexdigest()
    resp = client.put(f"/api/blobs/{digest}", data=image, headers={"Content-Type": "image/jpeg"})
    assert resp.status_code == 200, resp.get_json()
    return {"content_hash": digest, "size": len(image), "content_type": "image/jpeg"}


def build_course(owner: ApiClient, institution_id: str, leader_id: str) -> dict[str, str]:
    """A child with a guardian, a course, a start meeting and one record of every meeting part.

    Returns {kind: record id} with the URL plural as the key.
    """
    child = created(
        owner.post(
            "/api/children",
            new_child("Oskar", "Andersen", institution_id),
        )
    )
    guardian = created(
        owner.post(
            "/api/guardians",
            {
                "child_id": child["id"],
                "name": "Olga Andersen",
                "relation": "mor",
            },
        )
    )
    course = created(
        owner.post(
            "/api/courses",
            {
                "child_id": child["id"],
                "leader_id": leader_id,
                "concern_level": "moderate",
                "reason": "Oskar trækker sig fra legen",
                "start_date": date.today().isoformat(),
            },
        )
    )
    meeting = created(
        owner.post(
            "/api/meetings",
            {
                "course_id": course["id"],
                "kind": "start",
                "starts_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
            },
        )
    )
    ids = {
        "children": child["id"],
        "guardians": guardian["id"],
        "courses": course["id"],
        "meetings": meeting["id"],
    }
    parts = {
        "participants": {"name": "Olga Andersen", "role": "guardian"},
        "notes": {"column": "worries", "text": "Oskar er ofte alene"},
        "photos": uploaded_photo(owner, seed=5),
        "agreements": {"what": "Pædagogen inviterer til leg", "owner": "institution"},
        "minutes": {"text": "Referat"},
        "houses": {"worries": "Oskar er alene i frikvarteret"},
    }
    for plural, body in parts.items():
        ids[plural] = created(owner.post(f"/api/{plural}", {"meeting_id": meeting["id"], **body}))[
            "id"
        ]
    ids["consents"] = created(
        owner.post(
            "/api/consents",
            {
                "course_id": course["id"],
                "guardian_id": guardian["id"],
                "status": "requested",
            },
        )
    )["id"]
    ids["tasks"] = created(
        owner.post(
            "/api/tasks",
            {
                "course_id": course["id"],
                "title": "Send samtykke",
                "assignee_role": "family_unit",
            },
        )
    )["id"]
    return ids


# URL plural → (parent plural for the list URL, the key of the parent in build_course's ids)
PARENTS = {
    "children": None,
    "guardians": ("children", "children"),
    "courses": ("children", "children"),
    "meetings": ("courses", "courses"),
    "consents": ("courses", "courses"),
    "tasks": ("courses", "courses"),
    "participants": ("meetings", "meetings"),
    "notes": ("meetings", "meetings"),
    "photos": ("meetings", "meetings"),
    "agreements": ("meetings", "meetings"),
    "minutes": ("meetings", "meetings"),
    "houses": ("meetings", "meetings"),
}


def new_uuid() -> str:
    return str(uuid.uuid4())
