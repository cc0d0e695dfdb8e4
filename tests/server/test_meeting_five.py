"""Issue 12's dead end at meeting 5, reproduced as the tablet made it, then its way out.

Before the fix, the tablet finished meeting 4 and created meeting 5 as a follow-up (the
"Næste møde er afslutningsmødet" tick was left off); meeting 5 then could not be finished in
any way: with the tick (which changes only the *next* meeting), with a date, and with
neither, the server answered "This is meeting 5 of 5: it must be the closing meeting" — and
the tablet offered no way to make it one.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask

from server.extensions import db
from server.models import Meeting
from tests.harness import ApiClient
from tests.server.world import created

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SYNC = {"Sync-Protocol": "1"}


def _push(client: ApiClient, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    resp = client.post(
        "/api/sync/push",
        {
            "client_id": str(uuid.uuid4()),
            "mutations": [
                {
                    "id": str(uuid.uuid4()),
                    "base_version": None,
                    "clock": f"{time.time_ns() // 1_000_000:013d}:00000:meeting-five",
                    **m,
                }
                for m in mutations
            ],
        },
        headers=SYNC,
    )
    assert resp.status_code == 200, resp.get_json()
    results: list[dict[str, Any]] = resp.get_json()["results"]
    return results


def _finish(meeting_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "entity": "meeting",
        "record_id": meeting_id,
        "op": "upsert",
        "fields": {"status": "finished", "child_participation": "whole", **fields},
    }


def _four_finished(app: Flask, as_user: Any, demo: dict[str, Any]) -> tuple[ApiClient, str, str]:
    """Noah's course with four finished meetings; returns the leader, the course and meeting 4."""
    leader = as_user("familie")
    course = created(
        as_user("paedagog").post(
            "/api/courses",
            {
                "child_id": demo["children"]["Noah"],
                "leader_id": demo["users"]["familie"],
                "concern_level": "vulnerable",
                "start_date": date(2026, 12, 1).isoformat(),
            },
        )
    )["id"]
    ids = [str(uuid.uuid4()) for _ in range(4)]
    with app.app_context():
        for n, meeting_id in enumerate(ids):
            db.session.add(
                Meeting(
                    id=meeting_id,
                    course_id=course,
                    kind="start" if n == 0 else "follow_up",
                    starts_at=T0 + timedelta(days=30 * n),
                    child_participation="whole",
                    status="finished" if n < 3 else "planned",
                    next_meeting_at=T0 + timedelta(days=30 * (n + 1)) if n < 3 else None,
                )
            )
        db.session.commit()
    return leader, course, ids[-1]


def test_the_tablet_can_no_longer_make_meeting_five_a_follow_up(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """What the tablet sent when meeting 4 was finished without the tick: the meeting is
    finished, but a fifth meeting that is not the closing one is refused, naming its kind."""
    leader, course, fourth = _four_finished(app, as_user, demo)
    fifth_at = (T0 + timedelta(days=120)).isoformat()
    finished, fifth = _push(
        leader,
        _finish(fourth, next_meeting_at=fifth_at),
        {
            "entity": "meeting",
            "record_id": str(uuid.uuid4()),
            "op": "upsert",
            "fields": {"course_id": course, "kind": "follow_up", "starts_at": fifth_at},
        },
    )
    assert finished["status"] == "applied"
    assert fifth["status"] == "rejected"
    assert (fifth["error"]["code"], list(fifth["error"]["fields"])) == (
        "fifth_meeting_must_close",
        ["kind"],
    )
    closing = _push(
        leader,
        {
            "entity": "meeting",
            "record_id": str(uuid.uuid4()),
            "op": "upsert",
            "fields": {"course_id": course, "kind": "closing", "starts_at": fifth_at},
        },
    )
    assert closing[0]["status"] == "applied"


def test_a_fifth_follow_up_made_before_the_fix_can_still_be_finished_as_the_closing_one(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    leader, course, fourth = _four_finished(app, as_user, demo)
    fifth = str(uuid.uuid4())
    with app.app_context():  # as the old tablet left it
        db.session.get(Meeting, fourth).status = "finished"  # type: ignore[union-attr] # exists
        db.session.add(
            Meeting(
                id=fifth, course_id=course, kind="follow_up", starts_at=T0 + timedelta(days=120)
            )
        )
        db.session.commit()
    # The three ways tried at the table, all refused as before: the tick concerns only a
    # next meeting (there is none after the fifth), a date is no way out either.
    for fields in ({}, {"next_meeting_at": (T0 + timedelta(days=140)).isoformat()}):
        (result,) = _push(leader, _finish(fifth, **fields))
        assert result["error"]["code"] == "last_meeting_must_close"
        assert list(result["error"]["fields"]) == ["kind"]
    # The way out the tablet now offers: finish it as the closing meeting.
    (result,) = _push(leader, _finish(fifth, kind="closing"))
    assert result["status"] == "applied", result
    assert leader.get(f"/api/courses/{course}").get_json()["status"] == "closed"
