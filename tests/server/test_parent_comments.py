"""Parents' own words on a published report ("Vores bemærkninger"): written on the phone,
read by staff on the tablet (synced, read-only), part of the filed report — and refused, with
the parents' one 404 page, to anyone else: another child's guardian, a guardian whose custody
ended, a cross-site form, a forged token; too long and empty comments are said in Danish with
the text kept."""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, ParentComment
from tests.harness import ApiClient
from tests.server.reporting import (
    fill_meeting,
    form_token,
    invitation_links,
    pdf_text,
    phone,
    publish,
    second_child_report,
)
from tests.server.syncclient import Device
from tests.server.world import created

FOREIGN = "https://evil.example"
NOT_FOUND = "Linket virker ikke"


@pytest.fixture
def published(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """Emma's start meeting finished and its report published; both parents' phones open it."""
    familie: ApiClient = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    links = invitation_links(app, demo["children"]["Emma"])
    return {
        "familie": familie,
        "mor": phone(app, links["mor"]),
        "far": phone(app, links["far"]),
        "page": f"/p/reports/{demo['meeting']}",
        "meeting": demo["meeting"],
        "post": f"/p/reports/{demo['meeting']}/comments",
    }


def comment(client: Any, page: str, text: str, share: bool = False, **headers: str) -> Any:
    """Write a comment as the phone's form does; ``share``: the box for the other guardian."""
    token = form_token(client.get(page))
    data = {"text": text, "csrf_token": token, **({"share": "1"} if share else {})}
    return client.post(page + "/comments", data=data, headers=headers)


def live_comments(app: Flask) -> list[ParentComment]:
    with app.app_context():
        rows = list(db.session.scalars(select(ParentComment)))
        db.session.expunge_all()
        return rows


def test_a_parent_comments_and_staff_read_it_on_the_tablet_but_cannot_change_it(
    app: Flask, published: dict[str, Any], as_user: Any
) -> None:
    mor, familie = published["mor"], published["familie"]
    resp = comment(
        mor, published["page"], "Vi er glade for aftalen om legegrupper.\nTak!", share=True
    )
    assert resp.status_code == 303
    page = mor.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Tak. Jeres bemærkning er sendt." in page
    assert "Vi er glade for aftalen om legegrupper." in page
    # Shared by its author, the father reads it too, and cannot withdraw it.
    far_page = published["far"].get(published["page"]).get_data(as_text=True)
    assert "Vi er glade for aftalen" in far_page and "Træk bemærkningen tilbage" not in far_page
    # The tablet's pull brings it, with who wrote it, for the leader and the educator.
    for client in (familie, as_user("paedagog")):
        tablet = Device(client)
        tablet.pull()
        (record,) = [r for (entity, _id), r in tablet.records.items() if entity == "parent_comment"]
        assert record["fields"]["text"] == "Vi er glade for aftalen om legegrupper.\nTak!"
        assert record["fields"]["guardian_label"] == "mor"
    listed = familie.get(f"/api/meetings/{published['meeting']}/parent-comments").get_json()
    (one,) = listed
    # Read-only for staff: REST and a tablet's push are refused, nothing changes.
    assert familie.patch(f"/api/parent-comments/{one['id']}", {"text": "Rettet"}).status_code == 403
    assert familie.delete(f"/api/parent-comments/{one['id']}").status_code == 403
    staff_comment = {"meeting_id": published["meeting"], "text": "Skrevet af personalet"}
    assert familie.post("/api/parent-comments", staff_comment).status_code == 403
    tablet = Device(familie)
    tablet.upsert("parent_comment", one["id"], text="Ændret på tabletten")
    tablet.upsert("parent_comment", str(uuid.uuid4()), meeting_id=published["meeting"], text="Ny")
    assert [r["error"]["code"] for r in tablet.push()] == ["forbidden", "forbidden"]
    (kept,) = live_comments(app)
    assert kept.text == "Vi er glade for aftalen om legegrupper.\nTak!"
    # The leader is told on the start page: a task.
    tasks = familie.get(f"/api/courses/{kept.course_id}/tasks").get_json()
    assert [t["title"] for t in tasks if t["kind"] == "parent_comment"] == [
        "Læs forældrenes bemærkning til rapporten, og journalisér den"
    ]


def test_a_parent_withdraws_their_own_comment_and_its_text_is_gone(
    app: Flask, published: dict[str, Any]
) -> None:
    mor, far = published["mor"], published["far"]
    comment(mor, published["page"], "Det må I gerne slette igen")
    (written,) = live_comments(app)
    token = form_token(far.get(published["page"]))
    # Not the other parent's to withdraw: the one refusal.
    resp = far.post(f"/p/comments/{written.id}/withdraw", data={"csrf_token": token})
    assert resp.status_code == 404 and NOT_FOUND in resp.get_data(as_text=True)
    token = form_token(mor.get(published["page"]))
    resp = mor.post(f"/p/comments/{written.id}/withdraw", data={"csrf_token": token})
    assert resp.status_code == 303
    (withdrawn,) = live_comments(app)
    assert withdrawn.deleted_at is not None and withdrawn.text == ""
    assert "Det må I gerne slette" not in mor.get(published["page"]).get_data(as_text=True)
    tablet = Device(published["familie"])
    tablet.pull()
    assert tablet.records[("parent_comment", written.id)]["deleted"] is True


def test_too_long_and_empty_comments_are_said_in_danish_and_the_text_is_kept(
    app: Flask, published: dict[str, Any]
) -> None:
    mor = published["mor"]
    resp = comment(mor, published["page"], "å" * 2001)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Højst 2.000 tegn \u2013 du har skrevet 2.001." in page
    assert "å" * 2001 in page  # nothing the parent wrote is lost
    resp = comment(mor, published["page"], "  \n ")
    assert resp.status_code == 422 and "Skriv en bemærkning" in resp.get_data(as_text=True)
    assert live_comments(app) == []
    assert comment(mor, published["page"], "å" * 2000).status_code == 303  # the limit itself


def test_a_parent_writes_at_most_twenty_comments_on_a_meeting(
    app: Flask, published: dict[str, Any]
) -> None:
    mor = published["mor"]
    for n in range(20):
        assert comment(mor, published["page"], f"Bemærkning {n}").status_code == 303
    resp = comment(mor, published["page"], "Den enogtyvende")
    assert resp.status_code == 422 and "20 bemærkninger" in resp.get_data(as_text=True)
    assert len(live_comments(app)) == 20


def test_cross_site_and_forged_comments_are_refused_and_change_nothing(
    app: Flask, published: dict[str, Any]
) -> None:
    mor = published["mor"]
    token = form_token(mor.get(published["page"]))
    attempts = [
        mor.post(published["post"], data={"text": "Uden token"}),
        mor.post(published["post"], data={"text": "Falsk", "csrf_token": "x" * 40}),
        mor.post(
            published["post"],
            data={"text": "Fra en anden side", "csrf_token": token},
            headers={"Origin": FOREIGN},
        ),
        mor.post(
            published["post"],
            data={"text": "Fra en anden side", "csrf_token": token},
            headers={"Sec-Fetch-Site": "cross-site"},
        ),
    ]
    for resp in attempts:
        assert resp.status_code == 404 and NOT_FOUND in resp.get_data(as_text=True)
    assert live_comments(app) == []


def test_another_childs_guardian_and_a_guardian_without_custody_cannot_comment(
    app: Flask, published: dict[str, Any], as_user: Any, demo: dict[str, Any]
) -> None:
    familie = published["familie"]
    other_meeting = second_child_report(as_user("paedagog"), familie, demo["children"]["Noah"])
    noah_mor = phone(app, invitation_links(app, demo["children"]["Noah"])["mor"])
    token = form_token(noah_mor.get(f"/p/reports/{other_meeting}"))
    # Noah's mother, with a valid session and token of her own, on Emma's report.
    resp = noah_mor.post(published["post"], data={"text": "Ikke mit barn", "csrf_token": token})
    assert resp.status_code == 404 and NOT_FOUND in resp.get_data(as_text=True)
    # Emma's father loses custody: his phone can no longer comment (or read).
    far = published["far"]
    token = form_token(far.get(published["page"]))
    guardians = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()
    father = next(g for g in guardians if g["relation"] == "far")
    assert (
        familie.patch(f"/api/guardians/{father['id']}", {"has_custody": False}).status_code == 200
    )
    resp = far.post(
        published["post"], data={"text": "Efter forældremyndigheden", "csrf_token": token}
    )
    assert resp.status_code == 404
    assert live_comments(app) == []
    # A staff session is no parent session either.
    staff = familie.raw.post(published["post"], data={"text": "Personale", "csrf_token": token})
    assert staff.status_code == 404


def test_comments_are_audited_and_filed_with_the_report(
    app: Flask, app_config: dict[str, Any], published: dict[str, Any]
) -> None:
    mor, familie = published["mor"], published["familie"]
    comment(mor, published["page"], "Emma glæder sig til næste møde")
    (written,) = live_comments(app)
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "parent_comment")
        ).all()
        assert [(e.actor_type, e.action, e.record_id) for e in entries] == [
            ("guardian", "create", written.id)
        ]
    # The staff's PDF and the filed archive hold the comment; the metadata names it.
    report = familie.get(f"/api/meetings/{published['meeting']}/reports").get_json()[0]
    assert "Emma glæder sig til næste møde" in pdf_text(
        familie.get(f"/api/reports/{report['id']}/pdf").data
    )
    filing = created(familie.post("/api/filings", {"meeting_id": published["meeting"]}))
    archive = next(Path(app_config["FILING_DIR"]).rglob("*.zip"))
    with zipfile.ZipFile(archive) as zf:
        metadata = json.loads(zf.read("metadata.json"))
        assert "Emma glæder sig til næste møde" in pdf_text(zf.read("report.pdf"))
    assert [c["text"] for c in metadata["parent_comments"]] == ["Emma glæder sig til næste møde"]
    assert metadata["parent_comments"][0]["guardian"] == "mor"
    assert filing["report_id"] == report["id"]
    # Reading the comments on the tablet is audited like any read of the child's data.
    familie.get(f"/api/parent-comments/{written.id}")
    with app.app_context():
        assert (
            db.session.scalar(
                select(AuditEntry.id).where(
                    AuditEntry.entity == "parent_comment",
                    AuditEntry.action == "read",
                    AuditEntry.actor_type == "user",
                )
            )
            is not None
        )


def test_the_comments_part_is_apart_from_the_frozen_report(
    app: Flask, published: dict[str, Any]
) -> None:
    """Everything above the comments comes from the snapshot: a comment changes only its part."""
    mor = published["mor"]
    before = mor.get(published["page"]).get_data(as_text=True)
    comment(mor, published["page"], "En ny bemærkning")
    after = mor.get(published["page"]).get_data(as_text=True)
    strip = re.compile(r'<section id="comments".*?</section>|name="csrf_token" value="[^"]+"', re.S)
    assert strip.sub("", before) == strip.sub("", after)
    assert "En ny bemærkning" in after


def test_a_comment_is_private_to_its_author_and_the_staff_unless_shared(
    app: Flask, published: dict[str, Any]
) -> None:
    """Two guardians on two phones (issue 21): the mother's private comment never shows on the
    father's page, her shared one does, withdrawing works for both; the staff read all."""
    mor, far, page = published["mor"], published["far"], published["page"]
    form = mor.get(page).get_data(as_text=True)
    assert "Den anden forælder kan kun læse den, hvis du sætter hak nedenfor." in form
    box = re.search(r'<input type="checkbox" id="comment-share"[^>]*>', form)
    assert box is not None and "checked" not in box.group(0)  # not shared unless ticked
    assert comment(mor, page, "Kun til jer fagfolk: far lover meget").status_code == 303
    assert comment(mor, page, "Emma har sovet godt", share=True).status_code == 303
    assert comment(far, page, "Fars egne ord").status_code == 303
    mor_page = mor.get(page).get_data(as_text=True)
    far_page = far.get(page).get_data(as_text=True)
    assert "Kun til jer fagfolk" in mor_page and "Kun du og fagfolkene kan læse den." in mor_page
    assert "Kun til jer fagfolk" not in far_page
    assert "Emma har sovet godt" in far_page and "Emma har sovet godt" in mor_page
    assert "Den anden forælder kan også læse den." in mor_page
    assert "Fars egne ord" in far_page and "Fars egne ord" not in mor_page
    # The father cannot withdraw it either (the one refusal), and the staff read all three.
    by_text = {c.text: c for c in live_comments(app)}
    private, shared = (
        by_text["Kun til jer fagfolk: far lover meget"],
        by_text["Emma har sovet godt"],
    )
    token = form_token(far.get(page))
    for written in (private, shared):
        resp = far.post(f"/p/comments/{written.id}/withdraw", data={"csrf_token": token})
        assert resp.status_code == 404
    report = published["familie"].get(f"/api/meetings/{published['meeting']}/reports").get_json()
    staff_pdf = pdf_text(published["familie"].get(f"/api/reports/{report[0]['id']}/pdf").data)
    for text in ("Kun til jer fagfolk", "Emma har sovet godt", "Fars egne ord"):
        assert text in staff_pdf
    # The PDF a phone downloads holds what that phone may read, no more.
    assert "Kun til jer fagfolk" not in pdf_text(far.get(page + ".pdf").data)
    # The mother withdraws the shared one: gone from both phones.
    token = form_token(mor.get(page))
    assert (
        mor.post(f"/p/comments/{shared.id}/withdraw", data={"csrf_token": token}).status_code == 303
    )
    assert "Emma har sovet godt" not in far.get(page).get_data(as_text=True)
    assert "Emma har sovet godt" not in mor.get(page).get_data(as_text=True)


def test_a_refused_comment_keeps_its_sharing_choice(app: Flask, published: dict[str, Any]) -> None:
    resp = comment(published["mor"], published["page"], "  ", share=True)
    assert resp.status_code == 422
    box = re.search(r'<input type="checkbox" id="comment-share"[^>]*>', resp.get_data(as_text=True))
    assert box is not None and "checked" in box.group(0)
