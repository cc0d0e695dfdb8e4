"""Paper for citizens exempt from Digital Post (DIGITAL_POST_CHANNEL_CHOICE=automatic, the
default): SF1601 KombiPostAfsend with KombiValgKode "Automatisk Valg", the MeMo message and its
print (fjernprint) with the address CPR gives, against the local fake of Serviceplatformen and
of the CPR integration (tests/server/serviceplatformen.py), receipts pushed by the fake
Beskedfordeler to the app served over HTTP."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from flask import Flask
from lxml import etree
from sqlalchemy import select, update

from server.extensions import db
from server.models import OutboundMessage
from server.models._common import utcnow
from tests.harness import Inbox
from tests.harness.threaded import served_on_thread
from tests.server.beskedfordeler_fake import FakeBeskedfordeler, status_code
from tests.server.courses import BOARD, follow_up_with_board
from tests.server.letter_steps import give_cprs, letters, send_agenda
from tests.server.reporting import pdf_text
from tests.server.serviceplatformen import (
    ADDRESS,
    PRINT_TYPE_ID,
    FakeServiceplatformen,
    serviceplatformen,
    settings,
)

CVR = "29189846"
MOTHER, FATHER = "2103851234", "1507821235"


def a4_pages(pdf: bytes) -> bool:
    """Every page is portrait A4 (595 x 842 points)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return all(
            [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842] for page in doc.pages
        )


@pytest.fixture
def fake() -> Iterator[FakeServiceplatformen]:
    with serviceplatformen(CVR) as running:
        yield running


@pytest.fixture
def choice() -> str:
    return "automatic"


@pytest.fixture
def app_config(
    app_config: dict[str, Any],
    fake: FakeServiceplatformen,
    tmp_path: Path,
    smtp_port: int,
    choice: str,
) -> dict[str, Any]:
    return {
        **app_config,
        **settings(fake, tmp_path, choice),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        "SMTP_STARTTLS": False,
    }


@pytest.fixture
def beskedfordeler(app: Flask) -> Iterator[FakeBeskedfordeler]:
    """The app served over HTTP on 127.0.0.1, and a fake Beskedfordeler pushing to it."""
    with served_on_thread(app) as served:
        yield FakeBeskedfordeler(served.url)


def test_the_letter_goes_with_automatisk_valg_and_its_print(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen, inbox: Inbox
) -> None:
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    follow = follow_up_with_board(familie, demo)
    assert send_agenda(familie, follow) == 2
    assert sorted(m.recipient for m in fake.received) == sorted([MOTHER, FATHER])
    assert sorted(fake.address_lookups) == sorted([MOTHER, FATHER])
    for message in fake.received:
        assert message.valid, message.errors  # the MeMo message as before
        assert message.kombi_valg == "Automatisk Valg"
        assert message.print is not None
        # The print is the same letter: its id the message's, its title the message's, which
        # names neither the child nor anything from the board.
        assert message.print_text("fp:AfsendelseIdentifikator") == message.uuid
        title = message.print_text("fp:DokumentParametre/sagdok:TitelTekst")
        assert title == message.title == "Nyt brev fra Familieindgangen"
        for secret in ("Emma", "Solsikken", *BOARD):
            assert secret not in title
        assert message.print_text("fp:ForsendelseTypeIdentifikator") == PRINT_TYPE_ID
        assert message.print_text("dkal:FilformatNavn") == "PDF"
        assert message.print_text("fp:PostParametre/fp:PostKategoriKode") == "Prioritaire"
        # The address CPR gave, and no CPR number in the print at all.
        modtager = "fp:ForsendelseModtager/fp:ModtagerAdresse/"
        assert message.print_text(modtager + "itst:PersonName") == ADDRESS["name"]
        assert message.print_text(modtager + "dkcc5:StreetName") == ADDRESS["street"]
        assert message.print_text(modtager + "dkcc3:StreetBuildingIdentifier") == "12A"
        assert message.print_text(modtager + "dkcc5:PostCodeIdentifier") == "8000"
        assert message.print_text(modtager + "dkcc3:CountryIdentificationCode") == "DK"
        assert message.print is not None
        printed = etree.tostring(message.print).decode()
        assert MOTHER not in printed and FATHER not in printed
        # On paper the letter's own words come first, then the agenda.
        cover, agenda = message.print_documents()
        assert "Emma" in pdf_text(cover) and BOARD[0] in pdf_text(agenda)
        assert a4_pages(cover) and a4_pages(agenda)  # what a print provider prints
        assert [pdf for _name, pdf in message.documents()] == [agenda, cover]
    assert inbox.received == []
    with app.app_context():
        rows = db.session.scalars(select(OutboundMessage)).all()
        assert sorted(r.id for r in rows) == sorted(m.uuid for m in fake.received)
        # The address was asked for the print and is kept nowhere.
        assert not any(ADDRESS["street"] in f"{r.body} {r.last_error}" for r in rows)
        assert {r.status for r in rows} == {"sent"}


@pytest.mark.parametrize("choice", ["digital_only"])
def test_digital_only_sends_digital_post_alone(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen
) -> None:
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    assert send_agenda(familie, demo["meeting"]) == 2
    assert [m.kombi_valg for m in fake.received] == ["Digital Post", "Digital Post"]
    assert all(m.print is None and m.valid for m in fake.received)
    assert fake.address_lookups == []  # no print: no address asked of CPR


def test_an_exempt_guardian_gets_paper_and_the_tablet_says_so(
    app: Flask,
    as_user: Any,
    demo: dict[str, Any],
    fake: FakeServiceplatformen,
    beskedfordeler: FakeBeskedfordeler,
) -> None:
    fake.exempt = {FATHER}
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    assert send_agenda(familie, demo["meeting"]) == 2
    chosen = {m.recipient: m.channel for m in fake.received}
    assert chosen == {MOTHER: "Digital Post", FATHER: "Fysisk Post"}
    for message in fake.received:
        answer = beskedfordeler.push(fake.receipt(message))
        assert answer.status_code == 200 and status_code(answer) == "20", answer.text
    shown = letters(familie, demo["meeting"])
    assert shown["far"]["status"] == "printed" and shown["mor"]["status"] == "delivered"


@pytest.mark.parametrize("choice", ["digital_only"])
def test_without_paper_an_exempt_guardians_letter_fails(
    app: Flask,
    as_user: Any,
    demo: dict[str, Any],
    fake: FakeServiceplatformen,
    beskedfordeler: FakeBeskedfordeler,
) -> None:
    """What "automatic" is for: Digital Post alone cannot reach the exempt."""
    fake.exempt = {FATHER}
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    send_agenda(familie, demo["meeting"])
    assert {m.channel for m in fake.received} == {"Digital Post"}
    for message in fake.received:
        assert status_code(beskedfordeler.push(fake.receipt(message))) == "20"
    shown = letters(familie, demo["meeting"])
    assert shown["far"]["status"] == "failed" and shown["mor"]["status"] == "delivered"


@pytest.mark.parametrize("exempt", [False, True], ids=["registered", "exempt"])
def test_a_guardian_without_an_address_in_cpr_still_gets_the_letter_in_digital_post(
    app: Flask,
    as_user: Any,
    demo: dict[str, Any],
    fake: FakeServiceplatformen,
    beskedfordeler: FakeBeskedfordeler,
    exempt: bool,
) -> None:
    """No address to print on withholds nothing: the letter goes to Digital Post alone, once.
    Registered there, he reads it; exempt from it, Digital Post's receipt says it failed."""
    fake.no_address = {FATHER}
    fake.exempt = {FATHER} if exempt else set()
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    send_agenda(familie, demo["meeting"])
    assert sorted(m.recipient for m in fake.received) == sorted([MOTHER, FATHER])
    to_him = next(m for m in fake.received if m.recipient == FATHER)
    assert to_him.kombi_valg == "Digital Post" and to_him.print is None
    for message in fake.received:
        assert status_code(beskedfordeler.push(fake.receipt(message))) == "20"
    shown = letters(familie, demo["meeting"])
    assert shown["far"]["status"] == ("failed" if exempt else "delivered")
    assert not shown["far"]["retrying"]
    runner = app.test_cli_runner()
    with app.app_context():  # even when its time would have come, it is not sent again
        db.session.execute(update(OutboundMessage).values(next_attempt_at=None))
        db.session.commit()
    runner.invoke(args=["outbox", "send"])
    assert [m.recipient for m in fake.received].count(FATHER) == 1
    assert fake.address_lookups.count(FATHER) == 1


def test_an_address_lookup_that_fails_is_retried_and_the_letter_then_sent_once(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen
) -> None:
    fake.address_fail_next = 1  # the CPR integration answers 503 once
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": None})
    familie = as_user("familie")
    send_agenda(familie, demo["meeting"])
    assert fake.received == []
    mor = letters(familie, demo["meeting"])["mor"]
    assert mor["status"] == "failed" and mor["retrying"]
    runner = app.test_cli_runner()
    with app.app_context():
        db.session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == mor["id"])
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert "Sent 1, failed 0" in runner.invoke(args=["outbox", "send"]).output
    assert "Sent 0, failed 0" in runner.invoke(args=["outbox", "send"]).output
    assert [m.uuid for m in fake.received] == [mor["id"]]
    assert letters(familie, demo["meeting"])["mor"]["status"] == "sent"


def test_a_refused_letter_keeps_none_of_the_words_the_refusal_quotes(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen
) -> None:
    """The print carries the guardian's name and address: a validation fault that quotes the
    request must not bring them into the letter's error, which is stored and shown to staff."""
    quoted = f"ModtagerAdresse invalid: {ADDRESS['name']}, {ADDRESS['street']} 12A, 8000"
    fake.refuse_next_with = quoted
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    send_agenda(as_user("familie"), demo["meeting"])
    assert fake.refused == [400]
    with app.app_context():
        rows = db.session.scalars(select(OutboundMessage)).all()
        refused = [r for r in rows if r.status == "failed"]
        assert len(refused) == 1 and "HTTP 400" in refused[0].last_error
        for row in rows:
            assert ADDRESS["name"] not in row.last_error
            assert ADDRESS["street"] not in row.last_error
