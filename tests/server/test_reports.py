"""Publishing reports: frozen snapshots, corrections, refusals, receipts, PDF, calendar, filing."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.harness import ApiClient
from tests.server.reporting import (
    fill_meeting,
    invitation_links,
    pdf_text,
    phone,
    photo_without_its_bytes,
    publish,
    upload,
)
from tests.server.syncclient import Device
from tests.server.world import created, new_uuid


@pytest.fixture
def familie(as_user: Any) -> ApiClient:
    client: ApiClient = as_user("familie")
    return client


@pytest.fixture
def filled(familie: ApiClient, demo: dict[str, Any]) -> dict[str, Any]:
    return fill_meeting(familie, demo["meeting"])


def test_parents_read_the_snapshot_until_a_correction_is_published(
    app: Flask, familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    meeting = demo["meeting"]
    first = created(publish(familie, meeting))
    assert first["number"] == 1 and first["published_by_name"] == "Frida Familieindgang"
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    # An edit after publishing: parents still read what was published.
    note = filled["notes"]["working"]
    assert familie.patch(f"/api/notes/{note}", {"text": "Rettet tekst"}).status_code == 200
    page = mor.get(f"/p/reports/{meeting}").get_data(as_text=True)
    assert "working note" in page and "Rettet tekst" not in page and "Rettet " not in page
    second = created(publish(familie, meeting))
    assert second["number"] == 2
    page = mor.get(f"/p/reports/{meeting}").get_data(as_text=True)
    assert "Rettet tekst" in page and "working note" not in page
    assert "Rettet " in page and "rettede udgave" in page
    body = mor.get(f"/p/reports/{meeting}.json").get_json()
    assert body["number"] == 2
    # Staff can still read exactly what version 1 said.
    old = familie.get(f"/api/reports/{first['id']}/snapshot").get_json()
    assert old["report"]["columns"]["working"] == ["working note"]


def test_publishing_is_refused_while_a_photo_has_not_reached_the_server(
    app: Flask, familie: ApiClient, demo: dict[str, Any]
) -> None:
    """A record can no longer name bytes its author has not sent (photo_not_uploaded), but
    one accepted before that rule may still wait for them: publishing waits too."""
    fill_meeting(familie, demo["meeting"])
    waiting = photo_without_its_bytes(app, demo["meeting"], "familie@example.org")
    preview = familie.get(f"/api/meetings/{demo['meeting']}/report-preview").get_json()
    assert preview["missing_photos"] == [waiting["photo"]]
    refused = publish(familie, demo["meeting"])
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "photos_missing"
    assert "photo 2" in error["fields"]["meeting_id"][0]
    assert familie.get(f"/api/meetings/{demo['meeting']}/reports").get_json() == []
    upload(familie, waiting["image"])
    assert created(publish(familie, demo["meeting"]))["number"] == 1


def test_only_the_leader_publishes_and_only_a_finished_meeting(
    as_user: Any, familie: ApiClient, demo: dict[str, Any]
) -> None:
    unfinished = publish(familie, demo["meeting"])
    assert unfinished.status_code == 422
    assert unfinished.get_json()["error"]["code"] == "meeting_not_finished"
    fill_meeting(familie, demo["meeting"])
    # The educator sees the meeting but is not its leader; the role alone decides (403).
    refused = publish(as_user("paedagog"), demo["meeting"])
    assert refused.status_code == 403
    assert familie.get(f"/api/meetings/{demo['meeting']}/reports").get_json() == []


def test_a_published_version_cannot_be_changed_or_deleted(
    familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    report = created(publish(familie, demo["meeting"]))
    resp = familie.delete(f"/api/reports/{report['id']}")
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "published_is_final"
    assert familie.get(f"/api/reports/{report['id']}").status_code == 200


def test_publishing_queued_offline_is_done_when_the_push_arrives(
    app: Flask, familie: ApiClient, demo: dict[str, Any]
) -> None:
    fill_meeting(familie, demo["meeting"])
    waiting = photo_without_its_bytes(app, demo["meeting"], "familie@example.org")
    tablet = Device(familie)
    report_id = new_uuid()
    tablet.upsert("report", report_id, meeting_id=demo["meeting"])
    result = tablet.push()[0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "photos_missing"
    upload(familie, waiting["image"])  # the photo arrives; the author tries again
    tablet.upsert("report", report_id, meeting_id=demo["meeting"])
    assert tablet.push()[-1]["status"] == "applied"
    tablet.pull()
    pulled = tablet.records[("report", report_id)]
    assert pulled["fields"]["number"] == 1 and pulled["fields"]["published_at"]


def test_both_custody_holders_are_invited_and_messages_are_kept_without_smtp(
    app: Flask, as_user: Any, familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    created(publish(familie, demo["meeting"]))
    links = invitation_links(app, demo["children"]["Emma"])
    assert set(links) == {"mor", "far"}
    outbox = as_user("admin").get("/api/admin/outbox").get_json()
    assert [m["status"] for m in outbox] == ["kept", "kept"]  # delivery state only
    assert familie.get("/api/admin/outbox").status_code == 403


def test_the_first_reading_of_each_guardian_is_a_receipt_for_staff(
    app: Flask, familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    created(publish(familie, demo["meeting"]))
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    assert familie.get(f"/api/meetings/{demo['meeting']}/report-readings").get_json() == []
    mor.get(f"/p/reports/{demo['meeting']}")
    mor.get(f"/p/reports/{demo['meeting']}")
    readings = familie.get(f"/api/meetings/{demo['meeting']}/report-readings").get_json()
    assert [r["guardian_label"] for r in readings] == ["mor"]
    assert readings[0]["read_at"]
    # It reaches the tablets through sync like any record of the course.
    tablet = Device(familie)
    tablet.pull()
    assert [
        r["fields"]["guardian_label"]
        for (kind, _), r in tablet.records.items()
        if kind == "report_reading"
    ] == ["mor"]


def test_the_pdf_holds_the_three_columns_and_the_agreements(
    app: Flask, familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    created(publish(familie, demo["meeting"]))
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    resp = mor.get(f"/p/reports/{demo['meeting']}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = pdf_text(resp.data)
    for expected in (
        "worries note",
        "working note",
        "next_steps note",
        "Det der bekymrer",
        "Det der fungerer",
        "Det vi vil se ske",
        "Pædagogen inviterer til leg",
        "Dagtilbud/skole",
        "Emma Jensen",
    ):
        assert expected in text, expected


def test_the_calendar_file_holds_the_next_meeting(
    app: Flask, familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    created(publish(familie, demo["meeting"]))
    meeting = familie.get(f"/api/meetings/{demo['meeting']}").get_json()
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    resp = mor.get(f"/p/reports/{demo['meeting']}.ics")
    assert resp.status_code == 200 and resp.mimetype == "text/calendar"
    from icalendar import Calendar

    event = next(iter(Calendar.from_ical(resp.data).walk("VEVENT")))
    assert event.decoded("dtstart") == datetime.fromisoformat(meeting["next_meeting_at"])
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    assert "Emma" in str(event.get("summary"))
    assert str(event.get("location")) == "Solsikken, mødelokalet"


def test_parents_see_who_at_the_municipality_opened_the_childs_data(
    app: Flask, familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    created(publish(familie, demo["meeting"]))
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    mor.get(f"/p/reports/{demo['meeting']}")
    page = mor.get("/p/access").get_data(as_text=True)
    assert "Frida Familieindgang fra Familieindgangen delte rapporten med jer" in page
    assert "Mette Jensen" not in page  # her own readings are not "the municipality"


def test_filing_exports_pdf_photos_and_metadata_and_records_who(
    app_config: dict[str, Any],
    familie: ApiClient,
    demo: dict[str, Any],
    filled: dict[str, Any],
    tmp_path: Path,
) -> None:
    early = familie.post("/api/filings", {"meeting_id": demo["meeting"]})
    assert early.status_code == 422
    assert early.get_json()["error"]["code"] == "report_not_published"
    report = created(publish(familie, demo["meeting"]))
    filing = created(familie.post("/api/filings", {"meeting_id": demo["meeting"]}))
    assert filing["filed_by_name"] == "Frida Familieindgang" and filing["filed_at"]
    assert filing["report_id"] == report["id"]
    archive = Path(filing["location"])
    assert archive.is_file() and archive.suffix == ".zip"
    with zipfile.ZipFile(archive) as zf:
        assert sorted(zf.namelist()) == [
            "metadata.json",
            "metadata.xml",
            "photos/1.jpg",
            "report.pdf",
        ]
        metadata = json.loads(zf.read("metadata.json"))
        assert "worries note" in pdf_text(zf.read("report.pdf"))
        assert zf.read("photos/1.jpg")[:2] == b"\xff\xd8"
    assert metadata["report_version"] == 1 and metadata["filed_by"] == "Frida Familieindgang"
    assert metadata["child"]["first_name"] == "Emma"
    listed = familie.get(f"/api/meetings/{demo['meeting']}/filings").get_json()
    assert [f["id"] for f in listed] == [filing["id"]]


def test_invitation_expiry_is_configurable(
    app: Flask, familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    from server.extensions import db
    from server.models import GuardianInvitation
    from server.models._common import utcnow
    from server.text import da

    app.config["INVITATION_DAYS"] = 3
    created(publish(familie, demo["meeting"]))
    with app.app_context():
        invitations = db.session.query(GuardianInvitation).all()
        assert len(invitations) == 2
        for inv in invitations:
            assert timedelta(days=2) < inv.expires_at - utcnow() <= timedelta(days=3)
    body = app.test_cli_runner().invoke(args=["outbox", "print"]).output
    # The letter names the day in Copenhagen, which is the next UTC day after 23.00 UTC.
    expires = (utcnow() + timedelta(days=3)).astimezone(da.LOCAL)
    assert f"udløber {expires.day}. " in body


def test_kept_messages_are_printed_by_the_cli(
    app: Flask, familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    created(publish(familie, demo["meeting"]))
    output = app.test_cli_runner().invoke(args=["outbox", "print"]).output
    assert output.count("/p/invitation/") == 2
    assert "to mette@example.net" in output and "[kept]" in output


def test_publishing_at_once_from_several_tablets_numbers_the_versions_in_turn(
    app: Flask, familie: ApiClient, demo: dict[str, Any], filled: dict[str, Any]
) -> None:
    import threading

    clients = [ApiClient(app.test_client()) for _ in range(4)]
    for client in clients:
        client.login("familie@example.org", "demo-password-for-tests")
    answers: list[Any] = []
    start = threading.Barrier(len(clients))

    def publish_now(client: ApiClient) -> None:
        start.wait()
        answers.append(publish(client, demo["meeting"]))

    threads = [threading.Thread(target=publish_now, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [201] * 4
    assert sorted(a.get_json()["number"] for a in answers) == [1, 2, 3, 4]
