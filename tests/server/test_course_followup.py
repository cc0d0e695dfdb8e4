"""After a meeting: automatic follow-up tasks (synced to devices), and the hand-over after an
underretning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.harness import ApiClient
from tests.server.courses import T0, finish, iso, meeting, refused
from tests.server.syncclient import Device
from tests.server.world import created


def tasks(client: ApiClient, course_id: str) -> dict[str, dict[str, Any]]:
    return {t["kind"]: t for t in client.get(f"/api/courses/{course_id}/tasks").get_json()}


def test_finishing_a_meeting_makes_the_follow_up_tasks(
    as_user: Any, familie: ApiClient, course: str, demo: dict[str, Any]
) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    assert tasks(familie, course) == {}
    resp = finish(
        familie,
        start,
        child_participation="part",
        child_perspective="Noah tegnede en tegning",
        next_meeting_at=iso(T0 + timedelta(days=42)),
    )
    assert resp.status_code == 200
    made = tasks(familie, course)
    assert set(made) == {"send_report", "send_agenda", "follow_up_parents", "follow_up_child"}
    assert made["send_report"]["assignee_role"] == "family_unit"
    assert made["send_report"]["assignee_id"] == demo["users"]["familie"]
    assert made["follow_up_parents"]["assignee_role"] == "educator"
    assert made["follow_up_child"]["title"].startswith("Følg op med barnet")
    week_before = (T0 + timedelta(days=35)).date()
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    assert made["send_agenda"]["due_date"] == max(week_before, tomorrow).isoformat()
    # They reach another device through sync, and are done there offline, then synced back.
    educator_tablet = Device(as_user("paedagog"))
    educator_tablet.pull()
    pulled = {
        r["fields"]["kind"]: (record_id, r)
        for (kind, record_id), r in educator_tablet.records.items()
        if kind == "task"
    }
    assert set(pulled) == set(made)
    task_id = pulled["follow_up_parents"][0]
    educator_tablet.upsert("task", task_id, done_at=iso(T0 + timedelta(days=3)))
    assert educator_tablet.push()[0]["status"] == "applied"
    assert tasks(familie, course)["follow_up_parents"]["done_at"]


def test_a_child_present_the_whole_meeting_needs_no_child_follow_up(
    familie: ApiClient, course: str
) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=42)))
    assert "follow_up_child" not in tasks(familie, course)


def test_after_an_underretning_the_hand_over_closes_the_course(
    as_user: Any, familie: ApiClient, course: str
) -> None:
    refused(familie.post(f"/api/courses/{course}/hand-over"), "not_awaiting_counsellor", "status")
    start = created(meeting(familie, course, "start", T0))["id"]
    finish(
        familie,
        start,
        next_meeting_at=iso(T0 + timedelta(days=42)),
        underretning=True,
        underretning_note="Bekymring",
    )
    assert familie.get(f"/api/courses/{course}").get_json()["status"] == "awaiting_counsellor"
    assert tasks(familie, course)["hand_over"]["done_at"] is None
    assert as_user("paedagog").post(f"/api/courses/{course}/hand-over").status_code == 403
    assert as_user("paedagog2").post(f"/api/courses/{course}/hand-over").status_code == 404
    resp = familie.post(f"/api/courses/{course}/hand-over")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["status"] == "handed_over" and body["closed_at"]
    assert tasks(familie, course)["hand_over"]["done_at"]
    # A closed course takes no more meetings.
    refused(
        meeting(familie, course, "follow_up", T0 + timedelta(days=42)), "course_closed", "course_id"
    )


def test_a_closing_meeting_closes_the_course(familie: ApiClient, course: str) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=42)))
    closing = created(meeting(familie, course, "closing", T0 + timedelta(days=42)))["id"]
    assert finish(familie, closing).status_code == 200
    assert familie.get(f"/api/courses/{course}").get_json()["status"] == "closed"
    assert "send_agenda" not in {
        t["kind"]
        for t in familie.get(f"/api/courses/{course}/tasks").get_json()
        if t["meeting_id"] == closing
    }


def test_anyone_on_staff_can_list_who_may_lead_a_course(as_user: Any, client: Any) -> None:
    leaders = as_user("paedagog").get("/api/staff/leaders").get_json()
    assert [(x["name"], x["role"]) for x in leaders] == [("Frida Familieindgang", "family_unit")]
    assert client.get("/api/staff/leaders").status_code == 401
