"""Records made through the API for the sync tests: one of every synced kind on the demo
meeting, and many courses for one user."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Flask

from tests.harness import Client
from tests.harness.children import new_child
from tests.server.reporting import fill_meeting, form_token, invitation_links, phone, publish
from tests.server.syncclient import Device
from tests.server.world import created

COURSES = 210


def open_courses(educator: Client, leader: Client, demo: dict[str, Any], count: int) -> list[str]:
    """``count`` children, each with a course that the psychologist takes part in."""
    ids = []
    for i in range(count):
        child = created(
            educator.post(
                "/api/children",
                new_child(f"Barn{i}", "Hansen", demo["institutions"]["Solsikken"]),
            )
        )
        # A course needs a custody holder (no_custody_holder).
        created(
            educator.post(
                "/api/guardians",
                {"child_id": child["id"], "name": f"Mor{i} Hansen", "relation": "mor"},
            )
        )
        course = str(
            created(
                educator.post(
                    "/api/courses",
                    {
                        "child_id": child["id"],
                        "leader_id": demo["users"]["familie"],
                        "concern_level": "moderate",
                        "reason": "Trist om morgenen",
                        "start_date": date.today().isoformat(),
                    },
                )
            )["id"]
        )
        created(leader.post(f"/api/courses/{course}/members", {"user_id": demo["users"]["ppr"]}))
        ids.append(course)
    return ids


def every_kind_of_record(as_user: Any, app: Flask, demo: dict[str, Any]) -> None:
    """One of every synced kind on the demo meeting, a deleted one and a conflict among
    them, made as the apps make them (tablets, the REST API, a parent's phone)."""
    familie = as_user("familie")
    meeting = demo["meeting"]
    scaling = Device(familie)  # the child's own answer, brought by staff
    scaling.upsert(
        "scaling_answer",
        str(uuid.uuid4()),
        meeting_id=meeting,
        participant_id=None,
        role="child",
        name="Emma",
        value=4,
    )
    assert [r["status"] for r in scaling.push()] == ["applied"]
    made = fill_meeting(familie, meeting)  # notes, an agreement with a date, a photo; finished
    created(publish(familie, meeting))  # a report (and the guardians' invitations)
    created(familie.post("/api/filings", {"meeting_id": meeting}))
    links = invitation_links(app, demo["children"]["Emma"])
    mother = phone(app, links["mor"])
    page = mother.get(f"/p/reports/{meeting}")  # a read receipt
    assert (
        mother.post(
            f"/p/reports/{meeting}/comments",
            data={"text": "Tak for mødet", "csrf_token": form_token(page)},
        ).status_code
        == 303
    )
    created(
        familie.post(
            "/api/participants",
            {"meeting_id": meeting, "name": "Åse Ørum", "role": "other", "present": True},
        )
    )
    created(familie.post("/api/minutes", {"meeting_id": meeting, "text": "Næste gang: 🎈"}))
    created(
        familie.post(
            "/api/houses",
            {"meeting_id": meeting, "worries": "Når far råber", "dream": "", "good": "Min hund"},
        )
    )
    guardian = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()[0]
    created(
        familie.post(
            "/api/consents",
            {
                "course_id": demo["course"],
                "guardian_id": guardian["id"],
                "status": "granted",
                "channel": "in_person",
                "granted_at": "2026-11-30T09:15:00.5+01:00",
            },
        )
    )
    note = made["notes"]["worries"]
    familie.delete(f"/api/notes/{note}")  # deleted records travel too
    # A conflict: two tablets change the same note's text at once; one value loses.
    tablet, other = Device(familie), Device(as_user("paedagog"))
    target = made["notes"]["working"]
    for device, text_ in ((tablet, "fra tavlen"), (other, "fra pædagogen")):
        device.records[("board_note", target)] = {"version": 1}
        device.upsert("board_note", target, text=text_, position=2.5)
    other.push()
    tablet.push()
