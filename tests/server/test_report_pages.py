"""A published version's page is made once, when it is published, and served as it was made:
only the parents' comments are put in per view, and every view is still audited and
receipted (server/reports/frozen.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update

from server.extensions import db
from server.models import AuditEntry, ReportPage, ReportReading
from server.reports.frozen import COMMENTS
from server.text import da
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, form_token, invitation_links, phone, publish
from tests.server.world import created

COMMENTS_PART = re.compile(r'<section id="comments".*?</section>', re.S)


@pytest.fixture
def published(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, Any]:
    familie: ApiClient = as_user("familie")
    filled = fill_meeting(familie, demo["meeting"])
    report = created(publish(familie, demo["meeting"]))
    links = invitation_links(app, demo["children"]["Emma"])
    return {
        "familie": familie,
        "report": report,
        "notes": filled["notes"],
        "mor": phone(app, links["mor"]),
        "far": phone(app, links["far"]),
        "page": f"/p/reports/{demo['meeting']}",
        "child": demo["children"]["Emma"],
    }


def kept(app: Flask, report_id: str) -> ReportPage | None:
    with app.app_context():
        page = db.session.get(ReportPage, report_id)
        db.session.expunge_all()
        return page


def without_comments(html: str) -> str:
    return COMMENTS_PART.sub("", html)


def test_the_served_page_is_the_one_kept_at_publication(
    app: Flask, published: dict[str, Any]
) -> None:
    page = kept(app, published["report"]["id"])
    assert page is not None and page.html.count(COMMENTS) == 1
    served = published["mor"].get(published["page"]).get_data(as_text=True)
    part = COMMENTS_PART.search(served)
    assert part is not None
    assert served == page.html.replace(COMMENTS, part.group(0))
    # The view serves what is kept, and makes nothing: a kept page changed in the database
    # (as no code path does) is what the phone gets.
    with app.app_context():
        db.session.execute(
            update(ReportPage).values(html=page.html.replace("<h1>", "<h1>Kept:", 1))
        )
        db.session.commit()
    assert "<h1>Kept:" in published["far"].get(published["page"]).get_data(as_text=True)


def test_a_later_change_of_the_course_or_of_the_words_does_not_change_a_published_page(
    app: Flask, published: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    familie, mor = published["familie"], published["mor"]
    before = without_comments(mor.get(published["page"]).get_data(as_text=True))
    assert "working note" in before and "Emma" in before
    note = published["notes"]["working"]
    assert familie.patch(f"/api/notes/{note}", {"text": "Rettet tekst"}).status_code == 200
    resp = familie.patch(f"/api/children/{published['child']}", {"first_name": "Emilie"})
    assert resp.status_code == 200, resp.get_json()
    # A new release with other words for the page: the published version keeps its own.
    monkeypatch.setitem(da.T, "report_title", "En anden overskrift")
    after = without_comments(mor.get(published["page"]).get_data(as_text=True))
    assert after == before
    assert "Rettet tekst" not in after and "Emilie" not in after
    assert "En anden overskrift" not in after
    # The JSON answer is the one kept too.
    body = mor.get(published["page"] + ".json")
    page = kept(app, published["report"]["id"])
    assert page is not None
    assert body.get_data(as_text=True) == page.json_body + "\n"
    assert body.get_json()["report"]["columns"]["working"] == ["working note"]
    # A corrected version is kept on its own, with the changes and today's words.
    second = created(publish(familie, published["report"]["meeting_id"]))
    corrected = mor.get(published["page"]).get_data(as_text=True)
    assert "Rettet tekst" in corrected and "Emilie" in corrected
    assert "En anden overskrift" in corrected
    assert kept(app, second["id"]) is not None
    first = kept(app, published["report"]["id"])  # the first version's page stays as it was
    assert first is not None and first.html.replace(COMMENTS, "") == before


def test_every_view_is_audited_and_the_first_of_each_guardian_receipted(
    app: Flask, published: dict[str, Any]
) -> None:
    mor, far, page = published["mor"], published["far"], published["page"]
    for client, path in ((mor, page), (mor, page), (mor, page + ".json"), (far, page)):
        assert client.get(path).status_code == 200
    with app.app_context():
        views = db.session.execute(
            select(AuditEntry.actor_name, func.count())
            .where(
                AuditEntry.actor_type == "guardian",
                AuditEntry.action == "read",
                AuditEntry.entity == "report",
                AuditEntry.record_id == published["report"]["id"],
                AuditEntry.child_id == published["child"],
            )
            .group_by(AuditEntry.actor_name)
        ).all()
        readings = db.session.scalars(
            select(ReportReading.guardian_label).where(
                ReportReading.report_id == published["report"]["id"]
            )
        ).all()
    assert sorted(count for _name, count in views) == [1, 3]
    assert sorted(readings) == ["far", "mor"]


def test_a_version_published_before_pages_were_kept_is_kept_at_its_first_view(
    app: Flask, published: dict[str, Any]
) -> None:
    made = kept(app, published["report"]["id"])
    assert made is not None
    with app.app_context():
        db.session.execute(delete(ReportPage))
        db.session.commit()
    json_body = published["far"].get(published["page"] + ".json").get_data(as_text=True)
    assert json_body == made.json_body + "\n"
    remade = kept(app, published["report"]["id"])
    assert remade is not None
    assert remade.html == made.html and remade.json_body == made.json_body
    served = published["mor"].get(published["page"]).get_data(as_text=True)
    assert without_comments(served) == made.html.replace(COMMENTS, "")


def test_a_comment_shows_on_the_kept_page_and_a_refused_one_keeps_its_text(
    app: Flask, published: dict[str, Any]
) -> None:
    mor, page = published["mor"], published["page"]
    token = form_token(mor.get(page))
    resp = mor.post(page + "/comments", data={"text": "Tak for i dag", "csrf_token": token})
    assert resp.status_code == 303
    shown = mor.get(page).get_data(as_text=True)
    assert "Tak for i dag" in shown
    stored = kept(app, published["report"]["id"])
    assert stored is not None
    assert without_comments(shown) == stored.html.replace(COMMENTS, "")
    refused = mor.post(page + "/comments", data={"text": "   ", "csrf_token": token})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "<h1>" in body and "Tak for i dag" in body and COMMENTS not in body
