"""Agenda letters: from the template, with the last board's next steps, sent to both custody
holders with the consent request where consent is missing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import OutboundMessage
from tests.server.courses import finish, iso
from tests.server.reporting import pdf_text
from tests.server.world import created


def test_a_follow_up_agenda_holds_the_last_boards_next_steps_and_is_sent(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    start = demo["meeting"]
    for text in ("Emma siger farvel i døren", "Fast voksen om morgenen"):
        created(
            familie.post("/api/notes", {"meeting_id": start, "column": "next_steps", "text": text})
        )
    created(
        familie.post(
            "/api/notes",
            {"meeting_id": start, "column": "worries", "text": "Ked af det ved aflevering"},
        )
    )
    starts = familie.get(f"/api/meetings/{start}").get_json()["starts_at"]
    next_at = datetime.fromisoformat(starts) + timedelta(days=30)
    assert finish(familie, start, next_meeting_at=iso(next_at)).status_code == 200
    follow = created(
        familie.post(
            "/api/meetings",
            {
                "course_id": demo["course"],
                "kind": "follow_up",
                "starts_at": iso(next_at),
                "place": "Solsikken",
            },
        )
    )["id"]
    pdf = familie.get(f"/api/meetings/{follow}/agenda.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    for expected in (
        "Dagsorden",
        "Opfølgningsmøde om Emma",
        "møde 2 af 5",
        "Emma siger farvel i døren",
        "Fast voksen om morgenen",
        "Solsikken",
        "Siden sidst",
    ):
        assert expected in text, expected
    assert "Ked af det ved aflevering" not in text  # only the next steps are repeated
    # The mother has consented, the father not yet: only his letter asks for it.
    guardians = {
        g["relation"]: g
        for g in familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()
    }
    created(
        familie.post(
            "/api/consents",
            {
                "course_id": demo["course"],
                "guardian_id": guardians["mor"]["id"],
                "status": "granted",
            },
        )
    )
    assert as_user("paedagog").post(f"/api/meetings/{follow}/agenda/send").status_code == 403
    resp = familie.post(f"/api/meetings/{follow}/agenda/send")
    assert resp.status_code == 200 and resp.get_json() == {"sent": 2}
    with app.app_context():
        letters = {m.to_address: m for m in db.session.scalars(select(OutboundMessage))}
        assert set(letters) == {"mette@example.net", "lars@example.net"}
        for letter in letters.values():
            assert letter.attachment and "Emma siger farvel" in pdf_text(letter.attachment)
        assert "samtykke" not in letters["mette@example.net"].body
        assert "?to=consent" in letters["lars@example.net"].body
    consents = {
        c["guardian_id"]: c
        for c in familie.get(f"/api/courses/{demo['course']}/consents").get_json()
    }
    assert consents[guardians["far"]["id"]]["status"] == "requested"
    tasks = familie.get(f"/api/courses/{demo['course']}/tasks").get_json()
    assert all(t["done_at"] for t in tasks if t["kind"] == "send_agenda")


def test_a_start_agenda_uses_the_meetings_own_points(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    text = pdf_text(familie.get(f"/api/meetings/{demo['meeting']}/agenda.pdf").data)
    assert "Opstartsmøde om Emma" in text and "møde 1 af 5" in text
    assert "Bekymringen" in text  # the demo meeting's own agenda lines
    assert (
        as_user("paedagog2").get(f"/api/meetings/{demo['meeting']}/agenda.pdf").status_code == 404
    )
