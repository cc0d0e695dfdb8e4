"""The legal and process rules of the seeds, each accepted and refused through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.harness import ApiClient
from tests.server.courses import T0, finish, iso, meeting, refused
from tests.server.world import created


def test_first_meeting_must_be_a_start_meeting(familie: ApiClient, course: str) -> None:
    refused(meeting(familie, course, "follow_up", T0), "first_meeting_not_start", "kind")
    assert familie.get(f"/api/courses/{course}/meetings").get_json() == []
    assert meeting(familie, course, "start", T0).status_code == 201


def test_only_one_start_meeting(familie: ApiClient, course: str) -> None:
    created(meeting(familie, course, "start", T0))
    refused(
        meeting(familie, course, "start", T0 + timedelta(days=20)), "second_start_meeting", "kind"
    )


def test_a_course_has_at_most_five_meetings(familie: ApiClient, course: str) -> None:
    created(meeting(familie, course, "start", T0))
    for i in range(1, 4):
        created(meeting(familie, course, "follow_up", T0 + timedelta(days=30 * i)))
    created(meeting(familie, course, "closing", T0 + timedelta(days=150)))
    refused(
        meeting(familie, course, "follow_up", T0 + timedelta(days=160)),
        "too_many_meetings",
        "course_id",
    )
    assert len(familie.get(f"/api/courses/{course}/meetings").get_json()) == 5


def test_a_deleted_meeting_frees_its_place(familie: ApiClient, course: str) -> None:
    created(meeting(familie, course, "start", T0))
    ids = [
        created(meeting(familie, course, "follow_up", T0 + timedelta(days=30 * i)))["id"]
        for i in range(1, 4)
    ]
    created(meeting(familie, course, "closing", T0 + timedelta(days=150)))
    refused(
        meeting(familie, course, "follow_up", T0 + timedelta(days=100)),
        "too_many_meetings",
        "course_id",
    )
    assert familie.delete(f"/api/meetings/{ids[-1]}").status_code == 204
    assert meeting(familie, course, "follow_up", T0 + timedelta(days=100)).status_code == 201


def test_no_meeting_later_than_six_months_after_the_first(familie: ApiClient, course: str) -> None:
    created(meeting(familie, course, "start", T0))
    refused(
        meeting(familie, course, "follow_up", datetime(2027, 6, 1, 9, 1, tzinfo=UTC)),
        "outside_course_window",
        "starts_at",
    )
    # exactly six months later is still inside
    assert (
        meeting(familie, course, "closing", datetime(2027, 6, 1, 9, 0, tzinfo=UTC)).status_code
        == 201
    )


def test_moving_a_meeting_outside_the_window_is_refused(familie: ApiClient, course: str) -> None:
    created(meeting(familie, course, "start", T0))
    follow = created(meeting(familie, course, "follow_up", T0 + timedelta(days=30)))
    resp = familie.patch(
        f"/api/meetings/{follow['id']}", {"starts_at": iso(T0 + timedelta(days=200))}
    )
    refused(resp, "outside_course_window", "starts_at")
    after = familie.get(f"/api/meetings/{follow['id']}").get_json()
    assert after["starts_at"].startswith((T0 + timedelta(days=30)).date().isoformat())


def test_finishing_needs_a_next_meeting_date_after_it_inside_the_window(
    familie: ApiClient, course: str
) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    refused(finish(familie, start), "next_meeting_missing", "next_meeting_at")
    refused(
        finish(familie, start, next_meeting_at=iso(T0 - timedelta(days=1))),
        "next_meeting_before",
        "next_meeting_at",
    )
    refused(
        finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=190))),
        "next_meeting_outside_window",
        "next_meeting_at",
    )
    assert familie.get(f"/api/meetings/{start}").get_json()["status"] == "planned"
    ok = finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=42)))
    assert ok.status_code == 200
    assert ok.get_json()["status"] == "finished"
    assert ok.get_json()["finished_at"]


def test_child_not_in_the_whole_meeting_needs_the_childs_perspective(
    familie: ApiClient, course: str
) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    nxt = iso(T0 + timedelta(days=42))
    refused(
        finish(familie, start, next_meeting_at=nxt, child_participation="part"),
        "child_perspective_missing",
        "child_perspective",
    )
    refused(
        finish(
            familie, start, next_meeting_at=nxt, child_participation="none", child_perspective="   "
        ),
        "child_perspective_missing",
        "child_perspective",
    )
    ok = finish(
        familie,
        start,
        next_meeting_at=nxt,
        child_participation="none",
        child_perspective="Noah har tegnet, hvad der er svært i frikvarteret.",
    )
    assert ok.status_code == 200


def test_child_participation_must_be_recorded_before_finishing(
    familie: ApiClient, course: str
) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    resp = familie.patch(
        f"/api/meetings/{start}",
        {"status": "finished", "next_meeting_at": iso(T0 + timedelta(days=42))},
    )
    refused(resp, "child_participation_missing", "child_participation")


def test_finishing_the_closing_meeting_closes_the_course(familie: ApiClient, course: str) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    closing = created(meeting(familie, course, "closing", T0 + timedelta(days=60)))["id"]
    assert finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=60))).status_code == 200
    assert familie.get(f"/api/courses/{course}").get_json()["status"] == "active"
    assert finish(familie, closing).status_code == 200
    closed = familie.get(f"/api/courses/{course}").get_json()
    assert closed["status"] == "closed"
    assert closed["closed_at"]
    refused(
        meeting(familie, course, "follow_up", T0 + timedelta(days=70)), "course_closed", "course_id"
    )


def test_fifth_meeting_must_be_the_closing_one(familie: ApiClient, course: str) -> None:
    """(Finishing a fifth follow-up made before this rule: tests/server/test_meeting_five.py.)"""
    created(meeting(familie, course, "start", T0))
    for i in range(1, 4):
        created(meeting(familie, course, "follow_up", T0 + timedelta(days=30 * i)))
    refused(
        meeting(familie, course, "follow_up", T0 + timedelta(days=120)),
        "fifth_meeting_must_close",
        "kind",
    )
    fifth = created(meeting(familie, course, "closing", T0 + timedelta(days=120)))
    refused(
        familie.patch(f"/api/meetings/{fifth['id']}", {"kind": "follow_up"}),
        "fifth_meeting_must_close",
        "kind",
    )


def test_a_finished_meeting_cannot_be_reopened(familie: ApiClient, course: str) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=42)))
    refused(
        familie.patch(f"/api/meetings/{start}", {"status": "in_progress"}),
        "meeting_finished",
        "status",
    )


def test_underretning_hands_the_course_towards_the_child_counsellor(
    familie: ApiClient, course: str
) -> None:
    start = created(meeting(familie, course, "start", T0))["id"]
    resp = finish(
        familie,
        start,
        next_meeting_at=iso(T0 + timedelta(days=42)),
        underretning=True,
        underretning_note="Bekymring for omsorgssvigt",
    )
    assert resp.status_code == 200
    assert familie.get(f"/api/courses/{course}").get_json()["status"] == "awaiting_counsellor"
