"""A user who may read hundreds of courses syncs like anyone (PROTOCOL.md "Pull").

The cursor names every scope it covers, two per course: with some fifty courses it no
longer fits a request line (8,190 bytes, 414), so it travels in the pull's body. Over real
HTTP (gunicorn's limit): tests/e2e/test_two_instances.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.server.records import COURSES, open_courses
from tests.server.syncclient import SYNC, Device
from tests.server.world import created


@pytest.mark.slow
def test_a_tablet_with_210_courses_misses_nothing_and_purges_what_it_loses(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie, paedagog, ppr = as_user("familie"), as_user("paedagog"), as_user("ppr")
    courses = open_courses(paedagog, familie, demo, COURSES)
    tablet = Device(ppr)
    tablet.pull()
    held = {r["id"] for r in tablet.records.values() if r["entity"] == "course"}
    assert held == set(courses)
    assert len(tablet.cursor) > 8190  # would be a 414 in a request line

    # An incremental pull brings exactly what changed.
    meeting = created(
        familie.post(
            "/api/meetings",
            {"course_id": courses[-1], "kind": "start", "starts_at": "2030-01-07T09:00:00+00:00"},
        )
    )
    # (a start meeting comes with the people expected at it: server/meetings/attendance.py)
    expected = familie.get(f"/api/meetings/{meeting['id']}/participants").get_json()
    assert sorted((c["entity"], c["id"]) for c in tablet.pull()) == sorted(
        [("meeting", meeting["id"])] + [("participant", p["id"]) for p in expected]
    )

    # A course more: all of it arrives; a course taken away: the tablet is told to purge it.
    [gained] = open_courses(paedagog, familie, demo, 1)
    got = tablet.pull()
    assert ("course", gained) in {(c["entity"], c["id"]) for c in got}
    resp = familie.delete(f"/api/courses/{courses[0]}/members/{demo['users']['ppr']}")
    assert resp.status_code in (200, 204), resp.get_json()
    purges = [c for c in tablet.pull() if c["entity"] == "scope"]
    assert {
        "entity": "scope",
        "id": f"course:{courses[0]}",
        "deleted": True,
        "reason": "access_ended",
    } in purges
    assert not any(r.get("scope") == f"course:{courses[0]}" for r in tablet.records.values())

    # A new device of the same user holds exactly what this one holds.
    fresh = Device(ppr)
    fresh.pull()
    assert {k: r["version"] for k, r in fresh.records.items()} == {
        k: r["version"] for k, r in tablet.records.items()
    }
    resp = ppr.post("/api/sync/pull", {"cursor": tablet.cursor}, headers=SYNC)
    assert resp.status_code == 200 and resp.get_json()["changes"] == []
