"""A new start meeting lists who is expected at the table (issue 23): the child's custody
holders, the course's leader and the educator, none ticked; the leader ticks who came."""

from __future__ import annotations

from typing import Any

from tests.harness import ApiClient
from tests.harness.children import new_child
from tests.server.courses import T0, meeting
from tests.server.world import created


def test_the_start_meeting_lists_custody_holders_leader_and_educator(
    as_user: Any, familie: ApiClient, course: str, demo: dict[str, Any]
) -> None:
    guardians = familie.get(f"/api/children/{demo['children']['Noah']}/guardians").get_json()
    custody = {g["name"] for g in guardians if g["has_custody"]}
    without = {g["name"] for g in guardians if not g["has_custody"]}
    assert custody
    start = created(meeting(familie, course, "start", T0))["id"]
    people = familie.get(f"/api/meetings/{start}/participants").get_json()
    by_role: dict[str, set[str]] = {}
    for p in people:
        by_role.setdefault(p["role"], set()).add(p["name"])
        assert p["present"] is False
    assert by_role["guardian"] == custody
    assert not by_role["guardian"] & without
    leader = as_user("familie").get("/api/auth/me").get_json()["user"]
    assert by_role["family_unit"] == {leader["name"]}
    # The course was opened by Noah's educator: she is the one expected.
    educator = as_user("paedagog").get("/api/auth/me").get_json()["user"]
    assert by_role["educator"] == {educator["name"]}
    assert {p["guardian_id"] for p in people if p["role"] == "guardian"} <= {
        g["id"] for g in guardians
    }
    tick = familie.patch(f"/api/participants/{people[0]['id']}", {"present": True})
    assert tick.status_code == 200, tick.get_json()


def test_a_follow_up_meeting_gets_nobody_added_by_the_server(
    familie: ApiClient, course: str
) -> None:
    from datetime import timedelta

    created(meeting(familie, course, "start", T0))
    follow = created(meeting(familie, course, "follow_up", T0 + timedelta(days=30)))["id"]
    assert familie.get(f"/api/meetings/{follow}/participants").get_json() == []


def test_a_course_for_a_child_without_a_custody_holder_is_refused(
    as_user: Any, familie: ApiClient, demo: dict[str, Any]
) -> None:
    paedagog = as_user("paedagog")
    noah = paedagog.get(f"/api/children/{demo['children']['Noah']}").get_json()
    child = created(
        paedagog.post(
            "/api/children",
            new_child("Ingen", "Forældre", noah["institution_id"]),
        )
    )
    created(
        paedagog.post(
            "/api/guardians",
            {"child_id": child["id"], "name": "Moster", "relation": "moster", "has_custody": False},
        )
    )
    body = {
        "child_id": child["id"],
        "leader_id": demo["users"]["familie"],
        "concern_level": "moderate",
        "start_date": T0.date().isoformat(),
    }
    resp = paedagog.post("/api/courses", body)
    assert resp.status_code == 422, resp.get_json()
    error = resp.get_json()["error"]
    assert error["code"] == "no_custody_holder"
    assert list(error["fields"]) == ["child_id"]
    created(
        paedagog.post(
            "/api/guardians",
            {"child_id": child["id"], "name": "Mor", "relation": "mor", "has_custody": True},
        )
    )
    assert paedagog.post("/api/courses", body).status_code == 201
