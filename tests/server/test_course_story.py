"""The course as one story on the server: when a meeting was held (held_at, clamped), the
last meeting's agreements reviewed and carried on, the scaling question — recorded, refused
outside 0-10, frozen into the report and drawn there — and the agenda letter's review."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from server.models._common import utcnow
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, invitation_links, pdf_text, phone, publish
from tests.server.syncclient import Device
from tests.server.world import created


@pytest.fixture
def familie(as_user: Any) -> ApiClient:
    client: ApiClient = as_user("familie")
    return client


def _next_meeting(familie: ApiClient, demo: dict[str, Any]) -> dict[str, Any]:
    """Emma's start meeting finished (with an agreement and notes), and the follow-up."""
    fill_meeting(familie, demo["meeting"])
    start = familie.get(f"/api/meetings/{demo['meeting']}").get_json()
    return created(
        familie.post(
            "/api/meetings",
            {
                "course_id": demo["course"],
                "kind": "follow_up",
                "starts_at": start["next_meeting_at"],
                "place": "Solsikken",
            },
        )
    )


def _finish(device: Device, meeting_id: str, **fields: Any) -> dict[str, Any]:
    device.upsert("meeting", meeting_id, status="finished", child_participation="whole", **fields)
    (result,) = device.push()
    return result


def test_held_at_is_the_tablets_time_of_finishing_kept_sane_by_the_server(
    familie: ApiClient, demo: dict[str, Any]
) -> None:
    meeting = demo["meeting"]
    starts = datetime.fromisoformat(familie.get(f"/api/meetings/{meeting}").get_json()["starts_at"])
    next_at = (starts + timedelta(days=20)).isoformat()
    # Finished offline hours ago: the time the tablet says stands. (Not "14.58 yesterday":
    # the server allows a day before the demo meeting's start, the current hour, so that
    # failed every day from 15.00 to 16.00 UTC.)
    offline = (utcnow() - timedelta(hours=20)).replace(second=0, microsecond=0)
    tablet = Device(familie)
    assert (
        _finish(tablet, meeting, next_meeting_at=next_at, held_at=offline.isoformat())["status"]
        == "applied"
    )
    held = familie.get(f"/api/meetings/{meeting}").get_json()
    assert datetime.fromisoformat(held["held_at"]) == offline
    assert datetime.fromisoformat(held["finished_at"]) > offline  # when the server learnt it


@pytest.mark.parametrize("clock", ["ahead", "years back", "none"])
def test_an_absurd_or_missing_held_at_is_clamped(
    familie: ApiClient, demo: dict[str, Any], clock: str
) -> None:
    meeting = demo["meeting"]
    starts = datetime.fromisoformat(familie.get(f"/api/meetings/{meeting}").get_json()["starts_at"])
    sent = {
        "ahead": utcnow() + timedelta(days=400),
        "years back": datetime(1970, 1, 1, tzinfo=UTC),
        "none": None,
    }[clock]
    before = utcnow()
    resp = familie.patch(
        f"/api/meetings/{meeting}",
        {
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": (starts + timedelta(days=20)).isoformat(),
            "held_at": sent.isoformat() if sent else None,
        },
    )
    assert resp.status_code == 200, resp.get_json()
    held = datetime.fromisoformat(resp.get_json()["held_at"])
    if clock == "years back":
        course = familie.get(f"/api/courses/{demo['course']}").get_json()
        earliest = min(datetime.fromisoformat(course["created_at"]), starts) - timedelta(days=1)
        assert held == earliest
    else:
        assert before - timedelta(seconds=1) <= held <= utcnow() + timedelta(seconds=61)


def test_the_report_says_when_the_meeting_was_held_not_when_it_was_planned(
    app: Flask, familie: ApiClient, demo: dict[str, Any]
) -> None:
    meeting = demo["meeting"]
    fill_meeting(familie, meeting)
    # Shared at 15.58 for a meeting planned at 16.00: the report says 15.58. Planned at 16.00
    # on the demo's day, not at the demo's hour: near midnight that hour and the held one fall
    # on two days, and the page then names both (the test failed when run after 23.00).
    given = datetime.fromisoformat(familie.get(f"/api/meetings/{meeting}").get_json()["starts_at"])
    copenhagen = ZoneInfo("Europe/Copenhagen")
    planned = given.astimezone(copenhagen).replace(hour=16, minute=0, second=0, microsecond=0)
    with app.app_context():
        from server.extensions import db
        from server.models import Meeting

        row = db.session.get(Meeting, meeting)
        assert row is not None
        row.starts_at = planned.astimezone(UTC)
        row.held_at = planned - timedelta(minutes=2)
        db.session.commit()
    created(publish(familie, meeting))
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    page = mor.get(f"/p/reports/{meeting}").get_data(as_text=True)
    local = (planned - timedelta(minutes=2)).astimezone(ZoneInfo("Europe/Copenhagen"))
    assert f"afsluttet kl. {local.hour}.{local.minute:02d}" in page
    held = page.split('id="held"')[1][:200]
    assert f"kl. {planned.astimezone(local.tzinfo).hour}.{planned.minute:02d}" not in held


def test_a_morning_meeting_is_held_at_8_05_not_08_05_on_the_page_and_in_the_pdf(
    app: Flask, familie: ApiClient, demo: dict[str, Any]
) -> None:
    """One way to write a time of day, as the tablet writes it ("kl. 9.05"), whatever the
    hour: the report once said "afsluttet kl. 08.05" before ten in the morning."""
    meeting = demo["meeting"]
    fill_meeting(familie, meeting)
    planned = datetime.fromisoformat(
        familie.get(f"/api/meetings/{meeting}").get_json()["starts_at"]
    )
    copenhagen = ZoneInfo("Europe/Copenhagen")
    morning = planned.astimezone(copenhagen).replace(hour=8, minute=5, second=0, microsecond=0)
    with app.app_context():
        from server.extensions import db
        from server.models import Meeting

        row = db.session.get(Meeting, meeting)
        assert row is not None
        row.held_at = morning.astimezone(UTC)
        db.session.commit()
    created(publish(familie, meeting))
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    page = mor.get(f"/p/reports/{meeting}").get_data(as_text=True)
    pdf = " ".join(pdf_text(mor.get(f"/p/reports/{meeting}.pdf").data).split())
    for text in (page, pdf):
        assert "afsluttet kl. 8.05" in text
        assert "08.05" not in text


def test_the_last_meetings_agreements_are_reviewed_carried_on_and_shown_to_parents(
    app: Flask, familie: ApiClient, demo: dict[str, Any]
) -> None:
    follow_up = _next_meeting(familie, demo)
    old = familie.get(f"/api/meetings/{demo['meeting']}/agreements").get_json()[0]
    second = created(
        familie.post(
            "/api/agreements",
            {"meeting_id": demo["meeting"], "what": "Mor ringer til PPR", "owner": "guardians"},
        )
    )
    # Reviewed at the follow-up on a tablet: one done, one carried on as a new agreement.
    tablet = Device(familie)
    tablet.pull()
    carried_id = str(uuid.uuid4())
    tablet.upsert("agreement", old["id"], outcome="done", done=True)
    tablet.upsert("agreement", second["id"], outcome="carried_on")
    tablet.upsert(
        "agreement",
        carried_id,
        meeting_id=follow_up["id"],
        what=second["what"],
        owner="guardians",
        carried_from_id=second["id"],
    )
    assert [r["status"] for r in tablet.push()] == ["applied", "applied", "applied"]
    carried = familie.get(f"/api/agreements/{carried_id}").get_json()
    assert carried["carried_from_id"] == second["id"]
    # A carried-on agreement names one of an earlier meeting of the same course, nothing else.
    elsewhere = created(
        familie.post(
            "/api/agreements",
            {"meeting_id": follow_up["id"], "what": "Senere", "owner": "institution"},
        )
    )
    for source in (elsewhere["id"], carried_id):
        tablet.upsert(
            "agreement",
            str(uuid.uuid4()),
            meeting_id=demo["meeting"],
            what="x",
            owner="guardians",
            carried_from_id=source,
        )
    codes = [r["error"]["code"] for r in tablet.push()]
    assert codes == ["carried_from_elsewhere", "carried_from_elsewhere"]
    tablet.outbox.clear()
    tablet.upsert(
        "agreement",
        str(uuid.uuid4()),
        meeting_id=follow_up["id"],
        what="x",
        owner="guardians",
        outcome="maybe",
    )
    (bad,) = tablet.push()
    assert bad["error"]["code"] == "invalid" and "outcome" in bad["error"]["fields"]
    # The follow-up's report shows the review: what was agreed and how it went.
    assert (
        familie.patch(
            f"/api/meetings/{follow_up['id']}",
            {"status": "finished", "child_participation": "whole", "kind": "closing"},
        ).status_code
        == 200
    )
    report = created(publish(familie, follow_up["id"]))
    snapshot = familie.get(f"/api/reports/{report['id']}/snapshot").get_json()["report"]
    assert [(a["what"], a["outcome"]) for a in snapshot["review"]["agreements"]] == [
        (old["what"], "done"),
        ("Mor ringer til PPR", "carried_on"),
    ]
    assert [a["carried"] for a in snapshot["agreements"]] == [True, False]
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    page = mor.get(f"/p/reports/{follow_up['id']}").get_data(as_text=True)
    review = page.split('id="review"')[1].split("</section>")[0]
    assert old["what"] in review and "Udført" in review
    assert "Mor ringer til PPR" in review and "Fortsætter" in review
    assert "fortsat fra sidste møde" in page


def test_the_agenda_letter_of_a_follow_up_lists_the_agreements_to_review(
    familie: ApiClient, demo: dict[str, Any]
) -> None:
    follow_up = _next_meeting(familie, demo)
    created(
        familie.post(
            "/api/agreements",
            {"meeting_id": demo["meeting"], "what": "Far henter fredag", "owner": "guardians"},
        )
    )
    text = pdf_text(familie.get(f"/api/meetings/{follow_up['id']}/agenda.pdf").data)
    assert "Aftalerne fra sidste møde" in text
    assert "Far henter fredag (Forældrene)" in text
    assert "Pædagogen inviterer til leg (Dagtilbud/skole)" in text


def test_scaling_answers_are_recorded_refused_outside_0_to_10_and_drawn_in_the_report(
    app: Flask, familie: ApiClient, demo: dict[str, Any]
) -> None:
    follow_up = _next_meeting(familie, demo)
    people = familie.get(f"/api/meetings/{demo['meeting']}/participants").get_json()
    mother = next(p for p in people if p["role"] == "guardian")
    tablet = Device(familie)
    first = {
        "meeting_id": demo["meeting"],
        "participant_id": mother["id"],
        "role": "guardian",
        "name": mother["name"],
    }
    for value in (11, -1, 3.5, "7", None, True):
        tablet.upsert("scaling_answer", str(uuid.uuid4()), **first, value=value)
    results = tablet.push()
    assert [r["status"] for r in results] == ["rejected"] * 6
    assert all("value" in r["error"]["fields"] for r in results)
    tablet.outbox.clear()
    # Someone who is not at that meeting cannot answer there.
    other = created(
        familie.post(
            "/api/participants",
            {"meeting_id": follow_up["id"], "name": "Lærer", "role": "educator"},
        )
    )
    tablet.upsert(
        "scaling_answer",
        str(uuid.uuid4()),
        meeting_id=demo["meeting"],
        participant_id=other["id"],
        role="educator",
        name="Lærer",
        value=5,
    )
    (elsewhere,) = tablet.push()
    assert elsewhere["error"]["code"] == "participant_elsewhere"
    tablet.outbox.clear()
    # Answers at both meetings: the mother, and the child's own (brought by staff).
    tablet.upsert("scaling_answer", str(uuid.uuid4()), **first, value=3)
    tablet.upsert(
        "scaling_answer",
        str(uuid.uuid4()),
        meeting_id=demo["meeting"],
        participant_id=None,
        role="child",
        name="Emma",
        value=0,
    )
    tablet.upsert(
        "scaling_answer",
        str(uuid.uuid4()),
        **{**first, "meeting_id": follow_up["id"], "participant_id": None},
        value=6,
    )
    tablet.upsert(
        "scaling_answer",
        str(uuid.uuid4()),
        meeting_id=follow_up["id"],
        participant_id=None,
        role="child",
        name="Emma",
        value=10,
    )
    assert {r["status"] for r in tablet.push()} == {"applied"}
    assert (
        familie.patch(
            f"/api/meetings/{follow_up['id']}",
            {"status": "finished", "child_participation": "whole", "kind": "closing"},
        ).status_code
        == 200
    )
    report = created(publish(familie, follow_up["id"]))
    snapshot = familie.get(f"/api/reports/{report['id']}/snapshot").get_json()["report"]
    assert snapshot["scaling"] == {
        "meetings": 2,
        "series": [
            {"role": "guardian", "name": mother["name"], "values": [3, 6]},
            {"role": "child", "name": "Emma", "values": [0, 10]},
        ],
    }
    # The parents' page: an inline SVG (no script in it), and the same answers as a table.
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    page = mor.get(f"/p/reports/{follow_up['id']}").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg and "<script" not in svg.group(0) and svg.group(0).count("<polyline") == 2
    assert 'role="img"' in svg.group(0)
    table = page.split('<table class="scaling">')[1].split("</table>")[0]
    assert re.search(rf"{mother['name']}.*?<td>3</td><td>6</td>", table, re.S)
    assert re.search(r"Emma.*?<td>0</td><td>10</td>", table, re.S)
    # Frozen: an answer changed after publishing does not change the published chart.
    answer = familie.get(f"/api/meetings/{follow_up['id']}/scaling-answers").get_json()[0]
    assert familie.patch(f"/api/scaling-answers/{answer['id']}", {"value": 1}).status_code == 200
    again = mor.get(f"/p/reports/{follow_up['id']}").get_data(as_text=True)
    assert again.split('<table class="scaling">')[1].split("</table>")[0] == table
    assert "Skalaspørgsmålet" in pdf_text(mor.get(f"/p/reports/{follow_up['id']}.pdf").data)
