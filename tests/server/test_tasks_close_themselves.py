"""Follow-up tasks close themselves when what they ask for is done (issue 23): the report
task once the report is published and filed, the agenda task once the course is closed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.harness import ApiClient
from tests.server.courses import T0, finish, iso, meeting, open_kinds
from tests.server.reporting import publish
from tests.server.world import created


def test_the_report_task_closes_once_published_and_filed(familie: ApiClient, course: str) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    assert finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=30))).status_code == 200
    assert "send_report" in open_kinds(familie, course)
    created(publish(familie, start))
    # Published, not filed: the task asks for both ("Udgiv ... og journalisér den").
    assert "send_report" in open_kinds(familie, course)
    created(familie.post("/api/filings", {"meeting_id": start}))
    assert "send_report" not in open_kinds(familie, course)
    # The others are the people's own to tick.
    assert {"send_agenda", "follow_up_parents"} <= open_kinds(familie, course)


def test_closing_the_course_closes_the_agenda_task(familie: ApiClient, course: str) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=30)))
    assert "send_agenda" in open_kinds(familie, course)
    closing = created(meeting(familie, course, "closing", T0 + timedelta(days=30)))["id"]
    assert finish(familie, closing).status_code == 200
    assert familie.get(f"/api/courses/{course}").get_json()["status"] == "closed"
    assert "send_agenda" not in open_kinds(familie, course)
    # The closing meeting's report is still to be sent: that task stays.
    assert "send_report" in open_kinds(familie, course)


def test_a_task_closed_by_itself_reaches_the_tablet(
    as_user: Any, familie: ApiClient, course: str
) -> None:
    from tests.server.syncclient import Device

    start = created(meeting(familie, course, "start", T0))["id"]
    finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=30)))
    tablet = Device(as_user("familie"))
    tablet.pull()
    created(publish(familie, start))
    created(familie.post("/api/filings", {"meeting_id": start}))
    tablet.pull()
    done = {
        r["fields"]["kind"]: r["fields"]["done_at"]
        for (kind, _id), r in tablet.records.items()
        if kind == "task"
    }
    assert done["send_report"] is not None
    assert done["send_agenda"] is None
