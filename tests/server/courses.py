"""Courses and meetings through the API, as the rule, retention and job tests make them:
one fixed start time, a fresh course for Noah, a meeting, finishing one, a closed course."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.harness import ApiClient
from tests.server.reporting import publish, upload
from tests.server.world import created
from tests.sync.images import sha

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def meeting(client: ApiClient, course: str, kind: str, at: datetime) -> Any:
    return client.post("/api/meetings", {"course_id": course, "kind": kind, "starts_at": iso(at)})


def refused(resp: Any, code: str, field: str) -> None:
    assert resp.status_code == 422, resp.get_json()
    error = resp.get_json()["error"]
    assert error["code"] == code
    assert error["fields"][field]
    assert error["message"]


def finish(client: ApiClient, meeting_id: str, **fields: Any) -> Any:
    body = {"status": "finished", "child_participation": "whole", **fields}
    return client.patch(f"/api/meetings/{meeting_id}", body)


def closed_course(
    opener: ApiClient, familie: ApiClient, leader: str, child: str, images: list[bytes]
) -> tuple[str, str]:
    """A course with photos, a published and filed report, closed; (course id, start id)."""
    course = created(
        opener.post(
            "/api/courses",
            {
                "child_id": child,
                "leader_id": leader,
                "concern_level": "moderate",
                "start_date": T0.date().isoformat(),
            },
        )
    )["id"]
    start = created(meeting(familie, course, "start", T0))["id"]
    created(
        familie.post("/api/notes", {"meeting_id": start, "column": "worries", "text": "en note"})
    )
    for image in images:
        upload(familie, image)
        created(
            familie.post(
                "/api/photos", {"meeting_id": start, "content_hash": sha(image), "size": len(image)}
            )
        )
    assert finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=30))).status_code == 200
    created(publish(familie, start))
    created(familie.post("/api/filings", {"meeting_id": start}))
    closing = created(meeting(familie, course, "closing", T0 + timedelta(days=30)))["id"]
    assert finish(familie, closing).status_code == 200
    return str(course), str(start)


# What the start meeting's "Det vi vil se ske" says in the letters' tests: words that must
# never reach a letter's title or a notice.
BOARD = ("Emma siger farvel i døren", "Fast voksen om morgenen")


def follow_up_with_board(familie: ApiClient, demo: dict[str, Any]) -> str:
    """The start meeting held, with "Det vi vil se ske" (BOARD) on its board; the id of the
    follow-up it planned."""
    start = demo["meeting"]
    for text in BOARD:
        created(
            familie.post("/api/notes", {"meeting_id": start, "column": "next_steps", "text": text})
        )
    starts = familie.get(f"/api/meetings/{start}").get_json()["starts_at"]
    next_at = datetime.fromisoformat(starts) + timedelta(days=30)
    assert finish(familie, start, next_meeting_at=iso(next_at)).status_code == 200
    body = {"course_id": demo["course"], "kind": "follow_up", "starts_at": iso(next_at)}
    return str(created(familie.post("/api/meetings", {**body, "place": "Solsikken"}))["id"])


def open_kinds(client: ApiClient, course_id: str) -> set[str]:
    """The kinds of the course's follow-up tasks not done yet."""
    tasks = client.get(f"/api/courses/{course_id}/tasks").get_json()
    return {t["kind"] for t in tasks if t["done_at"] is None}
