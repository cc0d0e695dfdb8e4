"""English for parents (issue 21, point 8): one catalogue per language with the same keys and
placeholders; a parent's choice of English on the parents' pages, kept on the phone and on
the guardian; every parents' page in English with no Danish catalogue text left and LIX at
most 40; the guardian's letters and e-mails in English, the other guardian's in Danish."""

from __future__ import annotations

import string
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from flask import Flask, render_template
from sqlalchemy import select

from server.extensions import db
from server.models import Guardian, OutboundMessage
from server.parents.language import COOKIE
from server.text import da, en
from server.text.words import page_words
from tests.harness import ApiClient
from tests.plain_language import lix, parents_pages, text_lines, visible_units
from tests.server.reporting import (
    fill_meeting,
    form_token,
    invitation_links,
    pdf_text,
    phone,
    publish,
)
from tests.server.world import created

# Danish catalogue texts shorter than this may well be English too ("Trivsel", "PDF").
SHORTEST = 13
BOUND = 40


def _texts(value: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every text of a catalogue value with where it sits: ("T.about", "Om {child}")."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{where}[{i}]")


def catalogue_texts(module: ModuleType) -> dict[str, str]:
    """A catalogue's texts by place ("STORY.comments", "WORDS.ppr[1]"), its upper-case
    names only (texts, not the date functions or the time zone)."""
    found: dict[str, str] = {}
    for name in dir(module):
        if name.isupper() and name != "LOCAL":
            found.update(_texts(getattr(module, name), name))
    return found


def placeholders(text: str) -> list[str]:
    return sorted(field for _, field, _, _ in string.Formatter().parse(text) if field is not None)


def differences(one: dict[str, str], other: dict[str, str]) -> list[str]:
    """Where two catalogues differ in shape: a place only one has, or other placeholders."""
    out = [f"only in one: {place}" for place in sorted(one.keys() ^ other.keys())]
    for place in sorted(one.keys() & other.keys()):
        if placeholders(one[place]) != placeholders(other[place]):
            out.append(f"placeholders differ: {place}")
    return out


def danish_left(html: str) -> list[str]:
    """Danish catalogue texts (their literal parts, between placeholders, of at least
    ``SHORTEST`` characters) that an English page shows. Texts the same in both catalogues
    (a web address, a name such as "Familieindgangen") are no Danish left."""
    shown = " ".join(" ".join(html_units) for html_units in [visible_units(html)])
    english = catalogue_texts(en)
    left = []
    for place, text in catalogue_texts(da).items():
        if english.get(place) == text:
            continue
        for literal, *_ in string.Formatter().parse(text):
            part = " ".join(literal.split())
            if len(part) >= SHORTEST and part in shown:
                left.append(f"{place}: {part}")
    return left


def over_the_bound(named: dict[str, list[str]]) -> dict[str, tuple[float, list[str]]]:
    """The texts whose LIX is over 40, with their units (to see why)."""
    scores = {name: (round(lix(units).value, 1), units) for name, units in named.items()}
    return {name: score for name, score in scores.items() if score[0] > BOUND}


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    assert differences(catalogue_texts(da), catalogue_texts(en)) == []
    assert en.T["lang"] == "en" and da.T["lang"] == "da"


def test_the_comparison_catches_a_missing_key_and_a_changed_placeholder() -> None:
    """Proof that the check can fail."""
    english = catalogue_texts(en)
    english.pop("STORY.comments")
    english["T.about"] = "About {name}"
    assert differences(catalogue_texts(da), english) == [
        "only in one: STORY.comments",
        "placeholders differ: T.about",
    ]
    page = f"<html lang='en'><p>{da.T['no_reports']}</p></html>"
    assert danish_left(page) == [f"T.no_reports: {da.T['no_reports']}"]


def test_english_dates_and_counts() -> None:
    from datetime import UTC, datetime

    summer = datetime(2026, 6, 30, 22, 5, tzinfo=UTC)  # 1 July, 00.05 in Copenhagen
    assert en.when(summer) == "1 July 2026 at 0:05"
    assert en.short_when(summer) == "1 Jul at 0:05"
    assert [en.plural(n, "comment", "comments") for n in (1, 2000)] == [
        "1 comment",
        "2,000 comments",
    ]


@pytest.fixture
def story(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """A course's worth for a mother who reads English: the agenda sent with the consent
    request, the meeting held and its report shared, a new link for the father."""
    familie: ApiClient = as_user("familie")
    meeting = demo["meeting"]
    # The agenda with the consent request: the consent and letters pages have something.
    assert familie.post(f"/api/meetings/{meeting}/agenda/send").status_code == 200
    filled = fill_meeting(familie, meeting)
    created(publish(familie, meeting))
    guardians = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()
    far = next(g for g in guardians if g["relation"] == "far")
    assert familie.post(f"/api/guardians/{far['id']}/invitations").status_code == 201
    links = invitation_links(app, demo["children"]["Emma"])
    mor = phone(app, links["mor"])
    return {
        "familie": familie,
        "mor": mor,
        "meeting": meeting,
        "photo": filled["photo"],
        "far_link": links["far"],
        "child": demo["children"]["Emma"],
    }


def _choose(client: Any, code: str, page: str = "/p/") -> None:
    """Follow the page's switch link, as the parent taps it."""
    html = client.get(page).get_data(as_text=True)
    link = f'href="/p/language/{code}?next='
    assert link in html, html
    resp = client.get(f"/p/language/{code}?next={page}")
    assert resp.status_code == 303 and resp.headers["Location"] == page


def test_every_parents_page_in_english_has_no_danish_left_and_reads_plainly(
    app: Flask, story: dict[str, Any]
) -> None:
    mor, meeting = story["mor"], story["meeting"]
    _choose(mor, "en", f"/p/reports/{meeting}")
    comment = mor.post(
        f"/p/reports/{meeting}/comments",
        data={"text": "Thank you.", "csrf_token": form_token(mor.get(f"/p/reports/{meeting}"))},
    )
    assert comment.status_code in (200, 303)
    stranger = app.test_client()
    _choose(stranger, "en", "/p/offline")
    pages = parents_pages(mor, stranger, meeting, story["photo"], story["far_link"])
    named = {}
    for name, html in pages.items():
        assert '<html lang="en">' in html, name
        assert danish_left(html) == [], name
        # The way back: the switch says "Dansk", marked as Danish.
        assert 'lang="da" hreflang="da">Dansk</a>' in html, name
        named[name] = visible_units(html)
    with app.test_request_context("/p/"):
        for name, template in (("document failed", "document_failed"), ("forgotten", "forgotten")):
            html = render_template(f"parent/{template}.html", **page_words("en"), forget=True)
            assert danish_left(html) == [], name
            named[name] = visible_units(html)
    assert over_the_bound(named) == {}, over_the_bound(named)


def test_a_danish_page_stays_danish(story: dict[str, Any]) -> None:
    """Nothing changes for a parent who does not choose: Danish, with a way to English."""
    html = story["mor"].get(f"/p/reports/{story['meeting']}").get_data(as_text=True)
    assert '<html lang="da">' in html and da.T["report_title"] in html
    assert 'lang="en" hreflang="en">English</a>' in html


def test_the_choice_is_kept_on_the_phone_and_on_the_guardian(
    app: Flask, story: dict[str, Any]
) -> None:
    mor = story["mor"]
    _choose(mor, "en")
    assert mor.get_cookie(COOKIE, path="/p/").value == "en"
    assert '<html lang="en">' in mor.get("/p/").get_data(as_text=True)
    with app.app_context():
        chosen = dict(
            db.session.execute(
                select(Guardian.relation, Guardian.language).where(
                    Guardian.child_id == story["child"]
                )
            ).all()
        )
    assert chosen == {"mor": "en", "far": "da"}
    _choose(mor, "da")
    assert '<html lang="da">' in mor.get("/p/").get_data(as_text=True)


def test_the_switch_leads_only_back_to_the_parents_pages(app: Flask) -> None:
    client = app.test_client()
    for target in ("https://evil.example/p/", "//evil.example/p/", "/api/me", "/p/\\evil"):
        resp = client.get("/p/language/en", query_string={"next": target})
        assert resp.headers["Location"] == "/p/", target
    assert client.get("/p/language/de").status_code == 404


def test_a_new_phone_opens_an_english_guardians_link_in_english(
    app: Flask, story: dict[str, Any]
) -> None:
    _choose(story["mor"], "en")
    familie = story["familie"]
    guardians = familie.get(f"/api/children/{story['child']}/guardians").get_json()
    mor = next(g for g in guardians if g["relation"] == "mor")
    assert familie.post(f"/api/guardians/{mor['id']}/invitations").status_code == 201
    link = invitation_links(app, story["child"])["mor"]
    html = app.test_client().get(link).get_data(as_text=True)
    assert '<html lang="en">' in html and en.T["invitation_title"] in html


def _messages(app: Flask, child_id: str) -> list[tuple[str, OutboundMessage]]:
    with app.app_context():
        rows = db.session.execute(
            select(Guardian.relation, OutboundMessage)
            .join(Guardian, Guardian.id == OutboundMessage.guardian_id)
            .where(Guardian.child_id == child_id)
            .order_by(OutboundMessage.created_at)
        ).all()
        for _relation, message in rows:
            db.session.expunge(message)
        return [(relation, message) for relation, message in rows]


def test_letters_and_e_mails_to_an_english_guardian_are_in_english(
    app: Flask, story: dict[str, Any], demo: dict[str, Any]
) -> None:
    mor, familie, meeting = story["mor"], story["familie"], story["meeting"]
    _choose(mor, "en")
    before = len(_messages(app, story["child"]))
    # A corrected version (a new report notice) and the next meeting's agenda letter.
    created(publish(familie, meeting))
    nxt = created(
        familie.post(
            "/api/meetings",
            {
                "course_id": demo["course"],
                "kind": "follow_up",
                "place": "Solsikken",
                "starts_at": "2027-01-14T13:00:00+00:00",
            },
        )
    )
    assert familie.post(f"/api/meetings/{nxt['id']}/agenda/send").status_code == 200
    new = _messages(app, story["child"])[before:]
    to_mor = [m for relation, m in new if relation == "mor"]
    to_far = [m for relation, m in new if relation == "far"]
    assert {m.kind for m in to_mor} == {"report", "agenda"} == {m.kind for m in to_far}
    named = {}
    for message in to_mor:
        assert message.body.startswith("Dear "), message.body
        assert danish_left(f"<p>{message.subject}</p><p>{message.body}</p>") == []
        named[message.subject] = text_lines(message.body)
    for message in to_far:
        assert message.body.startswith("Kære "), message.body
    letter = next(m for m in to_mor if m.kind == "agenda")
    assert letter.attachment is not None
    assert (letter.attachment_name or "").startswith("agenda-")
    text = pdf_text(letter.attachment)
    assert en.AGENDA["points"] in text and da.AGENDA["points"] not in text
    named["agenda letter"] = text_lines(text)
    report = mor.get(f"/p/reports/{meeting}.pdf")
    assert report.status_code == 200
    text = pdf_text(report.data)
    assert en.T["report_title"] in text and da.T["report_title"] not in text
    named["report PDF"] = text_lines(text)
    assert over_the_bound(named) == {}, over_the_bound(named)
