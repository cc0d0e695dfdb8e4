"""Worries paired with goals, each goal scaled 0-10 at every meeting (issue 25 part 2): made
through REST and sync alike, refused on the field to fix when a note is of another course or
in the wrong column, hidden from whoever may not read the course, in the parents' report and
the filed package, deleted with the course."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select, update

from server.extensions import db
from server.filing.archive import package
from server.models import BoardNote, Course, Filing, GoalPair, GoalScore, Report
from server.models._common import utcnow
from tests.harness import ApiClient
from tests.server.courses import closed_course
from tests.server.reporting import fill_meeting, invitation_links, pdf_text, phone, publish
from tests.server.syncclient import Device
from tests.server.world import created


def _board(familie: ApiClient, demo: dict[str, Any]) -> dict[str, Any]:
    """Emma's start meeting held with notes in all three columns, and its follow-up."""
    notes = fill_meeting(familie, demo["meeting"])["notes"]
    start = familie.get(f"/api/meetings/{demo['meeting']}").get_json()
    follow_up = created(
        familie.post(
            "/api/meetings",
            {
                "course_id": demo["course"],
                "kind": "follow_up",
                "starts_at": start["next_meeting_at"],
            },
        )
    )
    return {"notes": notes, "follow_up": follow_up["id"]}


def _pair(worry: str, goal: str, course: str) -> dict[str, Any]:
    return {"course_id": course, "worry_note_id": worry, "goal_note_id": goal}


def _error(resp: Any) -> tuple[int, str, list[str]]:
    error = resp.get_json()["error"]
    return resp.status_code, error["code"], list(error["fields"])


def test_a_pair_needs_a_worry_and_a_goal_of_its_own_course_by_rest_and_by_push(
    as_user: Any, familie: ApiClient, demo: dict[str, Any], course: str
) -> None:
    notes = _board(familie, demo)["notes"]
    worry, working, goal = notes["worries"], notes["working"], notes["next_steps"]
    # Noah's course has a note of its own: it cannot be paired on Emma's course.
    start = created(
        familie.post(
            "/api/meetings",
            {"course_id": course, "kind": "start", "starts_at": "2026-12-02T09:00:00+00:00"},
        )
    )["id"]
    noahs = created(
        familie.post("/api/notes", {"meeting_id": start, "column": "worries", "text": "Noah"})
    )["id"]
    refused = {
        "worry from the wrong column": (
            _pair(working, goal, demo["course"]),
            ("goal_note_wrong_column", ["worry_note_id"]),
        ),
        "goal from the wrong column": (
            _pair(worry, worry, demo["course"]),
            ("goal_note_wrong_column", ["goal_note_id"]),
        ),
        "worry of another course": (
            _pair(noahs, goal, demo["course"]),
            ("goal_note_elsewhere", ["worry_note_id"]),
        ),
        "goal that does not exist": (
            _pair(worry, str(uuid.uuid4()), demo["course"]),
            ("invalid", ["goal_note_id"]),
        ),
    }
    tablet = Device(familie)
    for name, (body, (code, fields)) in refused.items():
        assert _error(familie.post("/api/goal-pairs", body)) == (422, code, fields), name
        tablet.upsert("goal_pair", str(uuid.uuid4()), **body)
        (result,) = tablet.push()
        assert result["status"] == "rejected", name
        assert (result["error"]["code"], list(result["error"]["fields"])) == (code, fields), name
        tablet.outbox.clear()
    pair = created(familie.post("/api/goal-pairs", _pair(worry, goal, demo["course"])))
    assert pair["reached_at"] is None
    # Moving a made pair onto another course's note is refused the same way.
    moved = familie.patch(f"/api/goal-pairs/{pair['id']}", {"goal_note_id": noahs})
    assert _error(moved) == (422, "goal_note_elsewhere", ["goal_note_id"])
    # The goal is marked reached at the table.
    reached = familie.patch(f"/api/goal-pairs/{pair['id']}", {"reached_at": utcnow().isoformat()})
    assert reached.status_code == 200 and reached.get_json()["reached_at"] is not None


def test_scores_are_0_to_10_for_a_pair_of_the_course_by_someone_at_the_meeting(
    familie: ApiClient, demo: dict[str, Any], course: str
) -> None:
    board = _board(familie, demo)
    notes, follow_up = board["notes"], board["follow_up"]
    pair = created(
        familie.post(
            "/api/goal-pairs", _pair(notes["worries"], notes["next_steps"], demo["course"])
        )
    )
    child = {"goal_pair_id": pair["id"], "role": "child", "name": "Emma"}
    tablet = Device(familie)
    for value in (11, -1, 3.5, "7", None, True):
        tablet.upsert("goal_score", str(uuid.uuid4()), meeting_id=follow_up, **child, value=value)
    results = tablet.push()
    assert [r["status"] for r in results] == ["rejected"] * 6
    assert all(list(r["error"]["fields"]) == ["value"] for r in results)
    tablet.outbox.clear()
    bad = familie.post("/api/goal-scores", {"meeting_id": follow_up, **child, "value": 11})
    assert bad.status_code == 422 and list(bad.get_json()["error"]["fields"]) == ["value"]
    # A pair of another course cannot be scored at this meeting.
    start = created(
        familie.post(
            "/api/meetings",
            {"course_id": course, "kind": "start", "starts_at": "2026-12-02T09:00:00+00:00"},
        )
    )["id"]
    elsewhere = familie.post("/api/goal-scores", {"meeting_id": start, **child, "value": 5})
    assert _error(elsewhere) == (422, "goal_pair_elsewhere", ["goal_pair_id"])
    # Nor by a participant of another meeting.
    mother = next(
        p
        for p in familie.get(f"/api/meetings/{demo['meeting']}/participants").get_json()
        if p["role"] == "guardian"
    )
    absent = familie.post(
        "/api/goal-scores",
        {"meeting_id": follow_up, **child, "participant_id": mother["id"], "value": 5},
    )
    assert _error(absent) == (422, "participant_elsewhere", ["participant_id"])
    tablet.upsert("goal_score", str(uuid.uuid4()), meeting_id=follow_up, **child, value=7)
    (accepted,) = tablet.push()
    assert accepted["status"] == "applied", accepted
    listed = familie.get(f"/api/meetings/{follow_up}/goal-scores").get_json()
    assert [s["value"] for s in listed] == [7]


def test_another_user_can_neither_read_nor_write_a_courses_goals(
    as_user: Any, familie: ApiClient, demo: dict[str, Any]
) -> None:
    notes = _board(familie, demo)["notes"]
    pair = created(
        familie.post(
            "/api/goal-pairs", _pair(notes["worries"], notes["next_steps"], demo["course"])
        )
    )
    score = created(
        familie.post(
            "/api/goal-scores",
            {
                "meeting_id": demo["meeting"],
                "goal_pair_id": pair["id"],
                "role": "child",
                "name": "Emma",
                "value": 2,
            },
        )
    )
    assert as_user("paedagog").get(f"/api/goal-pairs/{pair['id']}").status_code == 200
    for who in ("paedagog2", "ppr", "admin"):
        other = as_user(who)
        for url, change in (
            (f"/api/goal-pairs/{pair['id']}", {"reached_at": None}),
            (f"/api/goal-scores/{score['id']}", {"value": 9}),
        ):
            assert other.get(url).status_code == 404, (who, url)
            assert other.patch(url, change).status_code == 404, (who, url)
            assert other.delete(url).status_code == 404, (who, url)
        assert other.get(f"/api/courses/{demo['course']}/goal-pairs").status_code == 404
        made = other.post(
            "/api/goal-pairs", _pair(notes["worries"], notes["next_steps"], demo["course"])
        )
        assert made.status_code in (403, 404), who
        pulled = Device(other)
        pulled.pull()
        assert not {pair["id"], score["id"]} & {rid for _kind, rid in pulled.records}, who


def test_the_goals_scales_are_in_the_parents_report_the_pdf_and_the_filing(
    app: Flask, familie: ApiClient, demo: dict[str, Any]
) -> None:
    board = _board(familie, demo)
    notes, follow_up = board["notes"], board["follow_up"]
    pair = created(
        familie.post(
            "/api/goal-pairs", _pair(notes["worries"], notes["next_steps"], demo["course"])
        )
    )
    for meeting, value in ((demo["meeting"], 2), (follow_up, 6)):
        created(
            familie.post(
                "/api/goal-scores",
                {
                    "meeting_id": meeting,
                    "goal_pair_id": pair["id"],
                    "role": "child",
                    "name": "Emma",
                    "value": value,
                },
            )
        )
    familie.patch(f"/api/goal-pairs/{pair['id']}", {"reached_at": "2027-01-20T10:00:00+00:00"})
    starts = datetime.fromisoformat(
        familie.get(f"/api/meetings/{follow_up}").get_json()["starts_at"]
    )
    finished = familie.patch(
        f"/api/meetings/{follow_up}",
        {
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": (starts + timedelta(days=28)).isoformat(),
        },
    )
    assert finished.status_code == 200, finished.get_json()
    created(publish(familie, follow_up))
    mother = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    page = mother.get(f"/p/reports/{follow_up}").get_data(as_text=True)
    assert "Målene" in page and "next_steps note" in page and "worries note" in page
    assert "Målet blev nået 20. januar 2027." in page
    row = page.split("Svarene for målet møde for møde", 1)[1].split("</tr>", 2)[1]
    assert row.split("<td>")[1:] == ["2</td>", "6</td>"]
    text = pdf_text(mother.get(f"/p/reports/{follow_up}.pdf").data)
    assert "Målene" in text and "next_steps note" in text
    filing = created(familie.post("/api/filings", {"meeting_id": follow_up}))
    with app.app_context():
        filed = db.session.get(Filing, filing["id"])
        report = db.session.scalars(select(Report).where(Report.meeting_id == follow_up)).one()
        assert filed is not None
        goals = package(report, filed).metadata["goals"]
        db.session.remove()
    assert json.loads(json.dumps(goals))["pairs"][0]["series"] == [
        {"role": "child", "name": "Emma", "values": [2, 6]}
    ]


def test_goals_are_deleted_with_the_course(
    app: Flask, as_user: Any, familie: ApiClient, demo: dict[str, Any]
) -> None:
    old, start = closed_course(
        as_user("paedagog"), familie, demo["users"]["familie"], demo["children"]["Noah"], []
    )
    with app.app_context():
        worry = db.session.scalars(select(BoardNote).where(BoardNote.course_id == old)).one()
        goal = BoardNote(meeting_id=start, course_id=old, column="next_steps", text="mål")
        db.session.add(goal)
        db.session.flush()
        pair = GoalPair(course_id=old, worry_note_id=worry.id, goal_note_id=goal.id)
        db.session.add(pair)
        db.session.flush()
        db.session.add(
            GoalScore(
                meeting_id=start,
                course_id=old,
                goal_pair_id=pair.id,
                role="child",
                name="N",
                value=4,
            )
        )
        db.session.execute(
            update(Course)
            .where(Course.id == old)
            .values(closed_at=utcnow() - timedelta(days=6 * 365))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention"])
    assert "Deleted 1 course(s)" in result.output, result.output
    with app.app_context():
        for model in (GoalPair, GoalScore):
            left = db.session.scalar(
                select(func.count()).select_from(model).where(model.course_id == old)
            )
            assert left == 0, model
