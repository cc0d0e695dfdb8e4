"""Every page, e-mail and letter parents get reads plainly (issue 21, point 8): LIX at most 40
on each, measured on the text a parent sees, with a course's worth of demo data."""

from __future__ import annotations

import os
from typing import Any

import pytest
from flask import Flask, render_template
from sqlalchemy import select

from server.extensions import db
from server.models import OutboundMessage
from server.text import da
from tests.harness import ApiClient
from tests.plain_language import Lix, lix, parents_pages, text_lines, visible_units
from tests.server.reporting import (
    fill_meeting,
    form_token,
    invitation_links,
    pdf_text,
    phone,
    publish,
)
from tests.server.world import created

BOUND = 40
# What staff write at the table, as plain as the pages around it (the test measures our words,
# not theirs, but the pages show both).
NOTES = {
    "worries": "Emma leger mest alene i frikvarteret.",
    "working": "Emma er glad, når hun tegner.",
    "next_steps": "Vi vil se Emma lege med de andre.",
}


def test_the_measure_itself() -> None:
    """LIX as defined: 'Hunden løber. Katten sover i solen.' has 6 words, 2 sentences, no
    word over six letters: 3; a sentence of long words scores high."""
    assert lix(["Hunden løber. Katten sover i solen."]).value == pytest.approx(3.0)
    hard = "Forældremyndighedsindehaverens samtykkeerklæring vedrørende journaliseringen"
    assert lix([hard]).value == pytest.approx(4 + 100)
    assert visible_units('<p hidden>skjult</p><p>Ja <a href="/">tak</a>.</p>') == ["Ja tak."]


def _fails(named: dict[str, list[str]]) -> dict[str, tuple[float, Lix]]:
    """The texts over the bound, with their counts (the units themselves: run with
    LIX_DUMP=1 and -s to see what was measured)."""
    if os.environ.get("LIX_DUMP"):
        for name, units in named.items():
            print(f"== {name}: {lix(units).value:.1f}", *units, sep="\n    ")
    scores = {name: lix(units) for name, units in named.items()}
    return {name: (round(s.value, 1), s) for name, s in scores.items() if s.value > BOUND}


@pytest.fixture
def course_story(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """The agenda sent with the consent request, the meeting held, its report shared, a
    comment written, a new link asked for: everything a parent gets in a course."""
    familie: ApiClient = as_user("familie")
    meeting = demo["meeting"]
    assert familie.post(f"/api/meetings/{meeting}/agenda/send").status_code == 200
    filled = fill_meeting(familie, meeting)
    for column, note in filled["notes"].items():
        assert familie.patch(f"/api/notes/{note}", {"text": NOTES[column]}).status_code == 200
    created(publish(familie, meeting))
    guardians = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()
    far = next(g for g in guardians if g["relation"] == "far")
    assert familie.post(f"/api/guardians/{far['id']}/invitations").status_code == 201
    links = invitation_links(app, demo["children"]["Emma"])
    mor = phone(app, links["mor"])
    page = mor.get(f"/p/reports/{meeting}")
    sent = mor.post(
        f"/p/reports/{meeting}/comments",
        data={"text": "Tak for et godt møde.", "csrf_token": form_token(page)},
    )
    assert sent.status_code in (200, 303), sent.get_data(as_text=True)
    return {
        "familie": familie,
        "mor": mor,
        "meeting": meeting,
        "photo": filled["photo"],
        "far_link": links["far"],
    }


def test_every_parents_page_reads_at_lix_40_or_below(
    app: Flask, course_story: dict[str, Any]
) -> None:
    mor, meeting = course_story["mor"], course_story["meeting"]
    stranger = app.test_client()
    pages = parents_pages(mor, stranger, meeting, course_story["photo"], course_story["far_link"])
    named = {name: visible_units(html) for name, html in pages.items()}
    with app.test_request_context("/p/"):
        named["document failed"] = visible_units(
            render_template("parent/document_failed.html", t=da.T)
        )
        named["forgotten"] = visible_units(
            render_template("parent/forgotten.html", t=da.T, forget=True)
        )
    assert _fails(named) == {}


def test_every_letter_and_e_mail_parents_get_reads_at_lix_40_or_below(
    app: Flask, course_story: dict[str, Any]
) -> None:
    meeting = course_story["meeting"]
    with app.app_context():
        mails = list(
            db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.created_at))
        )
    kinds = {m.subject.split(" ")[0] for m in mails}
    assert len(kinds) >= 3, kinds  # the agenda, the new report, the new link
    named = {f"e-mail {i}: {m.subject}": text_lines(m.body) for i, m in enumerate(mails)}
    agenda = course_story["familie"].get(f"/api/meetings/{meeting}/agenda.pdf").data
    named["agenda letter"] = text_lines(pdf_text(agenda))
    report = course_story["mor"].get(f"/p/reports/{meeting}.pdf").data
    named["report PDF"] = text_lines(pdf_text(report))
    assert _fails(named) == {}
