"""The process rules' shared cases (tests/rules/cases.json), run against the real server.

The tablet runs the same cases against pwa/src/domain/rules.ts (rules.cases.test.ts), so the
two can never drift: a case added for one side is a case for both. Each case is set up in the
database as stated, then attempted as the course's leader through the REST API and through a
sync push — the two ways a change reaches the server — and on the pure machine
(server/courses/rules.py) as the tablet does. A hand-over has only a REST route.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from server.courses import rules
from server.extensions import db
from server.models import Course, Meeting
from server.models._common import utcnow
from tests.harness import ApiClient
from tests.server.world import created

CASES = json.loads((Path(__file__).parents[1] / "rules" / "cases.json").read_text())["cases"]
MEETING_DEFAULTS = {
    "status": "planned",
    "child_participation": None,
    "child_perspective": "",
    "next_meeting_at": None,
    "underretning": False,
    "place": "",
}
TIMES = ("starts_at", "next_meeting_at")


def _course(
    app: Flask, educator: ApiClient, demo: dict[str, Any], case: dict[str, Any]
) -> tuple[str, dict[str, str]]:
    """Noah's course in the case's state; returns its id and the case's meeting ids → UUIDs."""
    body = {
        "child_id": demo["children"]["Noah"],
        "leader_id": demo["users"]["familie"],
        "concern_level": "moderate",
        "start_date": date(2026, 12, 1).isoformat(),
    }
    course_id = str(created(educator.post("/api/courses", body))["id"])
    ids: dict[str, str] = {}
    with app.app_context():
        course = db.session.get(Course, course_id)
        assert course is not None
        course.status = case["course"]["status"]
        for m in case["course"]["meetings"]:
            ids[m["id"]] = str(uuid.uuid4())
            given = {k: v for k, v in m.items() if k not in ("id", "deleted")}
            fields = {**MEETING_DEFAULTS, **given}
            for name in TIMES:
                if fields[name] is not None:
                    fields[name] = datetime.fromisoformat(fields[name])
            db.session.add(
                Meeting(
                    id=ids[m["id"]],
                    course_id=course_id,
                    deleted_at=utcnow() if m.get("deleted") else None,
                    **fields,
                )
            )
        db.session.commit()
    return course_id, ids


def _rest(
    client: ApiClient, course_id: str, ids: dict[str, str], attempt: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    if attempt.get("hand_over"):
        resp = client.post(f"/api/courses/{course_id}/hand-over")
    elif "create" in attempt:
        fields = {k: v for k, v in attempt["create"].items() if k != "id"}
        body = {"id": str(uuid.uuid4()), "course_id": course_id, **fields}
        resp = client.post("/api/meetings", body)
    elif attempt.get("delete"):
        resp = client.delete(f"/api/meetings/{ids[attempt['meeting']]}")
    else:
        resp = client.patch(f"/api/meetings/{ids[attempt['meeting']]}", attempt["set"])
    return resp.status_code, resp.get_json(silent=True) or {}


def _sync(
    client: ApiClient, app: Flask, course_id: str, ids: dict[str, str], attempt: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    if attempt.get("hand_over"):  # no record changes: the tablet asks over REST
        return _rest(client, course_id, ids, attempt)
    if "create" in attempt:
        record_id, op = str(uuid.uuid4()), "upsert"
        given = {k: v for k, v in attempt["create"].items() if k != "id"}
        fields = {"course_id": course_id, **given}
    else:
        record_id = ids[attempt["meeting"]]
        op, fields = ("delete", {}) if attempt.get("delete") else ("upsert", attempt["set"])
    with app.app_context():
        meeting = db.session.get(Meeting, record_id)
        version = meeting.version if meeting is not None else None
    mutation = {
        "id": str(uuid.uuid4()),
        "entity": "meeting",
        "record_id": record_id,
        "op": op,
        "fields": fields,
        "base_version": version,
        "clock": f"{time.time_ns() // 1_000_000:013d}:00000:rule-cases",
    }
    resp = client.post(
        "/api/sync/push",
        {"client_id": str(uuid.uuid4()), "mutations": [mutation]},
        headers={"Sync-Protocol": "1"},
    )
    assert resp.status_code == 200, resp.get_json()
    (result,) = resp.get_json()["results"]
    if result["status"] == "rejected":
        return 422, {"error": result["error"]}
    return 200, result


@pytest.mark.parametrize("path", ["rest", "sync"])
def test_rule_cases(
    app: Flask, as_user: Any, demo: dict[str, Any], path: str, subtests: pytest.Subtests
) -> None:
    leader, educator = as_user("familie"), as_user("paedagog")
    for case in CASES:
        with subtests.test(msg=case["name"]):
            course_id, ids = _course(app, educator, demo, case)
            status, body = (
                _rest(leader, course_id, ids, case["attempt"])
                if path == "rest"
                else _sync(leader, app, course_id, ids, case["attempt"])
            )
            if "refused" in case:
                assert status == 422, body
                error = body["error"]
                assert (error["code"], list(error["fields"])) == (
                    case["refused"]["code"],
                    [case["refused"]["field"]],
                )
            else:
                assert status in (200, 201, 204), body
                course = leader.get(f"/api/courses/{course_id}").get_json()
                assert course["status"] == case["accepted"]["course_status"]


def _state(case: dict[str, Any]) -> rules.CourseState:
    meetings = []
    for m in case["course"]["meetings"]:
        fields = {**MEETING_DEFAULTS, **{k: v for k, v in m.items() if k != "place"}}
        meetings.append(rules.MeetingState(**_times(fields)))
    return rules.CourseState(case["course"]["status"], tuple(meetings))


def _times(fields: dict[str, Any]) -> dict[str, Any]:
    fields.pop("place", None)
    return {
        k: datetime.fromisoformat(v) if k in TIMES and v is not None else v
        for k, v in fields.items()
    }


def _pure(case: dict[str, Any]) -> tuple[rules.Outcome, rules.CourseState]:
    attempt = dict(case["attempt"])
    if "create" in attempt:
        attempt["create"] = _times({**MEETING_DEFAULTS, **attempt["create"]})
    elif "set" in attempt:
        attempt["set"] = _times(dict(attempt["set"]))
    return rules.attempt(_state(case), attempt)


def test_rule_cases_on_the_pure_machine(subtests: pytest.Subtests) -> None:
    for case in CASES:
        with subtests.test(msg=case["name"]):
            outcome, after = _pure(case)
            if "refused" in case:
                first = outcome.refusals[0]
                assert (first.code, first.field) == (
                    case["refused"]["code"],
                    case["refused"]["field"],
                )
            else:
                assert outcome.refusals == []
                assert after.status == case["accepted"]["course_status"]


def test_every_transition_of_the_machine_has_a_case() -> None:
    """Each (state, event) of the table is taken by an accepted case, ending where the table
    says; each event the table refuses in some state is refused by a case."""
    taken: set[tuple[str, str]] = set()
    for case in CASES:
        outcome, _after = _pure(case)
        if "accepted" in case:
            status = case["course"]["status"]
            for event in outcome.events:
                taken.add((status, event))
                status = rules.TRANSITIONS[(status, event)]
    assert set(rules.TRANSITIONS) - taken == set()
    refused_codes = {c["refused"]["code"] for c in CASES if "refused" in c}
    assert {code for code, _f, _m in rules.REFUSED_EVENTS.values()} <= refused_codes


def test_every_refusal_code_of_the_rules_has_a_case() -> None:
    """A rule added to server/courses/rules.py without a case here is a rule the tablet may
    not know: every code it raises must appear in the shared cases."""
    folder = Path(__file__).parents[2] / "server" / "courses"
    source = (folder / "rules.py").read_text() + (folder / "checks.py").read_text()
    raised = set(re.findall(r'(?:RuleViolation|Refusal)\(\s*"([a-z_]+)"', source))
    raised |= {code for code, _f, _m in rules.REFUSED_EVENTS.values()}
    assert "fifth_meeting_must_close" in raised
    covered = {c["refused"]["code"] for c in CASES if "refused" in c}
    # Checks that need data only the server has (another record's role or child) are not
    # process rules the tablet can decide; the server's answer names the field either way.
    server_only = {
        "course_missing",
        "guardian_not_of_child",
        "leader_not_family_unit",
        "no_custody_holder",  # the guardians of a child already registered
        "carried_from_elsewhere",
        "participant_elsewhere",
        "goal_pair_elsewhere",  # a goal score's pair: another record of the course
        "houses_exist",  # another record of the meeting (the tablet derives the one id)
    }
    assert raised - server_only <= covered
