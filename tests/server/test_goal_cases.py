"""The goal pair's shared cases (tests/rules/cases.json, ``goal_pairs``) against the real
server: each case's notes made on the boards of two courses the leader may read, then the
pair attempted through the REST API and through a sync push, and on the pure rule
(server/goals/rules.py) as the tablet does (pwa/src/domain/goals.cases.test.ts)."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from server.goals.rules import NoteState, pair_refusal
from tests.harness import ApiClient
from tests.server.syncclient import Device
from tests.server.world import created

TABLE = json.loads((Path(__file__).parents[1] / "rules" / "cases.json").read_text())
CASES = TABLE["goal_pairs"]["cases"]


def _boards(familie: ApiClient, demo: dict[str, Any], course: str) -> dict[str, str]:
    """Emma's course (the pair's) and Noah's ("other"): a meeting each, to write notes on."""
    other = created(
        familie.post(
            "/api/meetings",
            {"course_id": course, "kind": "start", "starts_at": "2026-12-02T09:00:00+00:00"},
        )
    )["id"]
    return {"mine": demo["meeting"], "other": other}


def _notes(familie: ApiClient, boards: dict[str, str], case: dict[str, Any]) -> dict[str, str]:
    ids = {}
    for name, note in case["notes"].items():
        body = {"meeting_id": boards[note.get("course", "mine")], "column": note["column"]}
        ids[name] = created(familie.post("/api/notes", {**body, "text": name}))["id"]
        if note.get("deleted"):
            assert familie.delete(f"/api/notes/{ids[name]}").status_code == 204
    return ids


@pytest.mark.parametrize("path", ["rest", "sync"])
def test_goal_pair_cases(
    familie: ApiClient,
    demo: dict[str, Any],
    course: str,
    path: str,
    subtests: pytest.Subtests,
) -> None:
    boards = _boards(familie, demo, course)
    for case in CASES:
        with subtests.test(msg=case["name"]):
            ids = _notes(familie, boards, case)
            body = {
                "course_id": demo["course"],
                **{field: ids.get(name, str(uuid.uuid4())) for field, name in case["pair"].items()},
            }
            if path == "rest":
                resp = familie.post("/api/goal-pairs", body)
                status, answer = resp.status_code, resp.get_json()
                error = answer.get("error", {})
            else:
                tablet = Device(familie)
                tablet.upsert("goal_pair", str(uuid.uuid4()), **body)
                (result,) = tablet.push()
                status = 422 if result["status"] == "rejected" else 201
                error = result.get("error", {})
            if "refused" in case:
                assert status == 422, error
                assert (error["code"], list(error["fields"])) == (
                    case["refused"]["code"],
                    [case["refused"]["field"]],
                )
            else:
                assert status == 201, error


def test_goal_pair_cases_on_the_pure_rule(subtests: pytest.Subtests) -> None:
    for case in CASES:
        with subtests.test(msg=case["name"]):
            notes = {
                name: NoteState(n.get("course", "mine"), n["column"], n.get("deleted", False))
                for name, n in case["notes"].items()
            }
            refusal = pair_refusal(
                "mine", {field: notes.get(name) for field, name in case["pair"].items()}
            )
            if "refused" in case:
                assert refusal is not None
                assert (refusal.code, refusal.field) == (
                    case["refused"]["code"],
                    case["refused"]["field"],
                )
            else:
                assert refusal is None


def test_every_refusal_of_the_goal_rule_has_a_case() -> None:
    source = (Path(__file__).parents[2] / "server" / "goals" / "rules.py").read_text()
    codes = set(re.findall(r'Refusal\(\s*"([a-z_]+)"', source))
    assert codes == {"goal_note_elsewhere", "goal_note_wrong_column"}
    assert codes <= {c["refused"]["code"] for c in CASES if "refused" in c}
