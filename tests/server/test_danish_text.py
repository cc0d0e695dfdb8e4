"""One date format and real plurals in everything the server writes in Danish (issue 12):
the parents' report page, its PDF, the mails with the links and the agenda letter."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import OutboundMessage
from server.text import da
from tests.harness import ApiClient
from tests.language import dates_in, language_problems
from tests.server.reporting import fill_meeting, invitation_links, pdf_text, phone, publish
from tests.server.world import created


def test_the_forms_themselves() -> None:
    summer = datetime(2026, 6, 30, 22, 5, tzinfo=UTC)  # 1 July, 00.05 in Copenhagen
    assert da.when(summer) == "1. juli 2026 kl. 0.05"
    assert da.day(summer) == "1. juli 2026"
    assert da.day(date(2026, 12, 4)) == "4. december 2026"
    assert da.short_when(datetime(2026, 12, 4, 13, 30, tzinfo=UTC)) == "4. dec. kl. 14.30"
    assert [da.plural(n, "deltager", "deltagere") for n in (0, 1, 2, 2000)] == [
        "0 deltagere",
        "1 deltager",
        "2 deltagere",
        "2.000 deltagere",
    ]


def test_the_scanner_catches_what_it_looks_for() -> None:
    """Proof that the check can fail: every form the tablet and server used to write."""
    bad = (
        "2026-12-04 · 25.11.2026 · 23. nov. 2026 · tor. 4. dec. · 14:30 · kl. 09.05 · "
        "1 deltagere · Dec 4"
    )
    assert len(language_problems(bad)) == 8
    assert language_problems("4. december 2026 kl. 9.05 · 4. dec. kl. 14.30 · 1 deltager") == []
    assert dates_in("4. december 2026 og 4. dec. kl. 9.05") == ["4. december 2026", "4. dec."]


@pytest.fixture
def published(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, Any]:
    familie: ApiClient = as_user("familie")
    fill_meeting(familie, demo["meeting"], "sprog")
    created(publish(familie, demo["meeting"]))
    return {
        "familie": familie,
        "meeting": demo["meeting"],
        "links": invitation_links(app, demo["children"]["Emma"]),
    }


def test_the_parents_page_the_pdf_and_the_mails_write_dates_one_way(
    app: Flask, published: dict[str, Any]
) -> None:
    mor = phone(app, published["links"]["mor"])
    meeting = published["meeting"]
    page = mor.get(f"/p/reports/{meeting}").get_data(as_text=True)
    text = _visible(page)
    assert language_problems(text) == [], text
    assert len(dates_in(text)) >= 3  # held, published, the next meeting, the deadline
    pdf = pdf_text(mor.get(f"/p/reports/{meeting}.pdf").data)
    assert language_problems(pdf) == [], pdf
    assert "15. januar 2030" in pdf  # the agreement's deadline
    with app.app_context():
        bodies = list(db.session.scalars(select(OutboundMessage.body)))
    assert bodies
    for body in bodies:
        without_links = " ".join(w for w in body.split() if "://" not in w)
        assert language_problems(without_links) == [], body
        assert dates_in(without_links), body


def test_the_agenda_letter_writes_dates_one_way(as_user: Any, demo: dict[str, Any]) -> None:
    familie: ApiClient = as_user("familie")
    letter = familie.get(f"/api/meetings/{demo['meeting']}/agenda.pdf")
    assert letter.status_code == 200
    text = pdf_text(letter.data)
    assert language_problems(text) == [], text
    assert dates_in(text), text


def _visible(html: str) -> str:
    """The page's text as a reader sees it (no markup, no attribute values)."""
    import re

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
