"""Letters by Digital Post (LETTERS=digital_post), against a local fake of Serviceplatformen
over real HTTP (tests/server/serviceplatformen.py): the token exchange, SF1601
KombiPostAfsend; the delivery receipts pushed by a fake Beskedfordeler to the app served
over HTTP (tests/server/beskedfordeler_fake.py). A real SMTP server is configured beside it and
must see nothing: in this mode no e-mail goes to a parent at all."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from server.extensions import db
from server.models import OutboundMessage
from server.models._common import utcnow
from tests.harness import ApiClient, Inbox
from tests.harness.threaded import served_on_thread
from tests.server.beskedfordeler_fake import (
    SECRET,
    FakeBeskedfordeler,
    envelope,
    post_status,
    status_code,
)
from tests.server.courses import BOARD, follow_up_with_board
from tests.server.letter_steps import give_cprs, letters, send_agenda
from tests.server.reporting import fill_meeting, pdf_text, publish
from tests.server.serviceplatformen import FakeServiceplatformen, serviceplatformen, settings

CVR = "29189846"
MOTHER, FATHER = "2103851234", "1507821235"


@pytest.fixture
def fake() -> Iterator[FakeServiceplatformen]:
    with serviceplatformen(CVR) as running:
        yield running


@pytest.fixture
def app_config(
    app_config: dict[str, Any], fake: FakeServiceplatformen, tmp_path: Path, smtp_port: int
) -> dict[str, Any]:
    return {
        **app_config,
        **settings(fake, tmp_path),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        "SMTP_STARTTLS": False,
    }


def test_an_agenda_goes_by_digital_post_to_each_custody_holder_by_cpr(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen, inbox: Inbox
) -> None:
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    follow = follow_up_with_board(familie, demo)
    assert send_agenda(familie, follow) == 2
    assert sorted(m.recipient for m in fake.received) == sorted([MOTHER, FATHER])
    for message in fake.received:
        assert message.valid, message.errors
        assert message.kombi_valg == "Digital Post"
        assert message.text("memo:MessageHeader/memo:Sender/memo:senderID") == CVR
        # Shown before the parent signs in: neither the child nor anything from the board.
        shown = f"{message.title} {message.notification}"
        assert message.title == "Nyt brev fra Familieindgangen"
        for secret in ("Emma", "Solsikken", *BOARD):
            assert secret not in shown
        (main_name, main), (_cover_name, cover) = message.documents()
        assert main_name.startswith("dagsorden-") and BOARD[0] in pdf_text(main)
        assert "Emma" in pdf_text(cover)  # the words that go with it, inside the letter
    # The father has not consented: his letter carries the request, the mother's too (neither
    # has answered), and the requests are on record.
    assert all("samtykke" in pdf_text(m.documents()[1][1]) for m in fake.received)
    assert inbox.received == []  # no e-mail at all
    states = letters(familie, follow)
    assert {row["status"] for row in states.values()} == {"sent"}
    assert {row["channel"] for row in states.values()} == {"digital_post"}
    with app.app_context():
        rows = db.session.scalars(select(OutboundMessage)).all()
        # The message's UUID is the row's: Digital Post would refuse it a second time.
        assert sorted(r.id for r in rows) == sorted(m.uuid for m in fake.received)
        # The letter is in Digital Post now: no copy of the PDF, and never the CPR number.
        assert all(r.attachment is None and r.to_address == "" for r in rows)
        assert not any(MOTHER in r.body or FATHER in r.body for r in rows)


def test_a_guardian_without_a_cpr_number_gets_nothing_and_staff_see_why(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen, inbox: Inbox
) -> None:
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": None})
    familie = as_user("familie")
    assert send_agenda(familie, demo["meeting"]) == 1  # the count says who it went to
    assert [m.recipient for m in fake.received] == [MOTHER]
    shown = letters(familie, demo["meeting"])
    assert shown["mor"]["status"] == "sent" and shown["far"]["status"] == "unaddressable"
    assert not shown["far"]["retrying"]
    assert inbox.received == []
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "Sent 0, failed 0" in result.output  # never tried again
    assert len(fake.received) == 1


def test_a_passing_failure_is_retried_after_a_wait_and_then_sent_once(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen
) -> None:
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    fake.fail_next = 1  # Serviceplatformen answers 503 once
    send_agenda(familie, demo["meeting"])
    assert fake.refused == [503] and len(fake.received) == 1
    shown = letters(familie, demo["meeting"])
    failed = next(row for row in shown.values() if row["status"] == "failed")
    assert failed["retrying"]
    # Not before its wait is over: a Serviceplatformen that is down is not hammered.
    runner = app.test_cli_runner()
    assert "Sent 0, failed 0" in runner.invoke(args=["outbox", "send"]).output
    with app.app_context():
        row = db.session.get(OutboundMessage, failed["id"])
        assert row is not None and row.next_attempt_at is not None
        assert row.next_attempt_at > utcnow()
        db.session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == failed["id"])
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert "Sent 1, failed 0" in runner.invoke(args=["outbox", "send"]).output
    assert "Sent 0, failed 0" in runner.invoke(args=["outbox", "send"]).output
    uuids = [m.uuid for m in fake.received]
    assert len(uuids) == 2 and len(set(uuids)) == 2  # each letter went exactly once
    assert {row["status"] for row in letters(familie, demo["meeting"]).values()} == {"sent"}


@pytest.fixture
def beskedfordeler(app: Flask) -> Iterator[FakeBeskedfordeler]:
    """The app served over HTTP on 127.0.0.1, and a fake Beskedfordeler pushing to it."""
    with served_on_thread(app) as served:
        yield FakeBeskedfordeler(served.url)


def sent_to_both(app: Flask, familie: ApiClient, demo: dict[str, Any], fake: Any) -> dict[str, str]:
    """The agenda sent by Digital Post to both of Emma's parents: message UUID by relation."""
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    assert send_agenda(familie, demo["meeting"]) == 2
    by_cpr = {m.recipient: m.uuid for m in fake.received}
    return {"mor": by_cpr[MOTHER], "far": by_cpr[FATHER]}


def states(familie: ApiClient, meeting_id: str) -> dict[str, tuple[str, str | None]]:
    return {
        who: (row["status"], row["delivered_at"])
        for who, row in letters(familie, meeting_id).items()
    }


def test_receipts_say_delivered_or_sent_as_a_paper_letter(
    app: Flask,
    as_user: Any,
    demo: dict[str, Any],
    fake: FakeServiceplatformen,
    beskedfordeler: FakeBeskedfordeler,
) -> None:
    familie = as_user("familie")
    sent = sent_to_both(app, familie, demo, fake)
    pushes = [
        post_status(sent["mor"], "received", CVR),  # a step on the way: still "sent"
        post_status(sent["mor"], "delivered", CVR),
        post_status(sent["far"], "printed", CVR),  # exempt from Digital Post: fjernprint
        post_status(str(uuid.uuid4()), "delivered", CVR),  # no such letter: logged, taken
    ]
    for body in pushes:
        answer = beskedfordeler.push(body)
        assert answer.status_code == 200 and status_code(answer) == "20", answer.text
    shown = letters(familie, demo["meeting"])
    assert shown["mor"]["status"] == "delivered" and shown["far"]["status"] == "printed"
    assert shown["far"]["delivered_at"].startswith("2026-12-07T10:05")
    # The same receipts pushed again (the Beskedfordeler delivers at least once) change nothing.
    before = states(familie, demo["meeting"])
    for body in pushes:
        assert status_code(beskedfordeler.push(body)) == "20"
    assert states(familie, demo["meeting"]) == before


def test_a_failed_receipt_ends_the_letter_with_its_reason(
    app: Flask,
    as_user: Any,
    demo: dict[str, Any],
    fake: FakeServiceplatformen,
    beskedfordeler: FakeBeskedfordeler,
) -> None:
    familie = as_user("familie")
    sent = sent_to_both(app, familie, demo, fake)
    error = ("memo.invalid", f"recipient {MOTHER} not found")
    assert status_code(beskedfordeler.push(post_status(sent["mor"], "failed", CVR, error))) == "20"
    shown = letters(familie, demo["meeting"])
    assert shown["mor"]["status"] == "failed" and not shown["mor"]["retrying"]
    assert shown["far"]["status"] == "sent"
    with app.app_context():
        row = db.session.get(OutboundMessage, sent["mor"])
        assert row is not None and "memo.invalid" in row.last_error
        assert MOTHER not in row.last_error  # a CPR number in Digital Post's words is masked


def test_a_receipt_without_the_proxys_secret_is_refused_and_changes_nothing(
    app: Flask,
    as_user: Any,
    demo: dict[str, Any],
    fake: FakeServiceplatformen,
    beskedfordeler: FakeBeskedfordeler,
) -> None:
    familie = as_user("familie")
    sent = sent_to_both(app, familie, demo, fake)
    body = post_status(sent["mor"], "delivered", CVR)
    for secret in ("", "a-guess", SECRET[:-1], SECRET + "x"):  # "": no header at all
        answer = beskedfordeler.push(body, secret=secret)
        assert answer.status_code == 403 and status_code(answer) == "40"
    assert {status for status, _at in states(familie, demo["meeting"]).values()} == {"sent"}
    # The very same receipt through the proxy is taken.
    assert status_code(beskedfordeler.push(body)) == "20"
    assert letters(familie, demo["meeting"])["mor"]["status"] == "delivered"


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE ModtagBeskedInput [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
<ns4:ModtagBeskedInput xmlns:ns4="urn:oio:sts:1.0.0">&leak;</ns4:ModtagBeskedInput>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<ns4:ModtagBeskedInput xmlns:ns4="urn:oio:sts:1.0.0">&lol2;</ns4:ModtagBeskedInput>"""


def test_malformed_or_hostile_xml_is_refused_and_changes_nothing(
    app: Flask,
    as_user: Any,
    demo: dict[str, Any],
    fake: FakeServiceplatformen,
    beskedfordeler: FakeBeskedfordeler,
) -> None:
    familie = as_user("familie")
    sent = sent_to_both(app, familie, demo, fake)
    good = post_status(sent["mor"], "delivered", CVR)
    inner_xxe = XXE.replace(b"ModtagBeskedInput", b"PKO_PostStatus")
    for body in (
        b"not xml at all",
        good[: len(good) // 2],  # cut off
        XXE,
        LAUGHS,
        envelope(inner_xxe, CVR),  # the attack inside the base64 payload
        envelope(b"x", CVR).replace(base64.b64encode(b"x"), b"!!!="),  # not base64
        envelope(b"x", CVR).replace(base64.b64encode(b"x"), "æøå=".encode()),  # beyond ASCII
        b'{"receipts": []}',
    ):
        answer = beskedfordeler.push(body)
        assert answer.status_code == 400 and status_code(answer) == "40", body[:60]
    assert {status for status, _at in states(familie, demo["meeting"]).values()} == {"sent"}


def test_a_receipt_for_another_authority_or_message_changes_nothing(
    app: Flask,
    as_user: Any,
    demo: dict[str, Any],
    fake: FakeServiceplatformen,
    beskedfordeler: FakeBeskedfordeler,
) -> None:
    familie = as_user("familie")
    sent = sent_to_both(app, familie, demo, fake)
    for body in (
        post_status(sent["mor"], "delivered", "12345678"),  # our UUID, another municipality
        post_status(str(uuid.uuid4()), "failed", CVR),
        envelope(b"<SomethingElse xmlns='urn:other'/>", CVR),  # another kind of message
    ):
        answer = beskedfordeler.push(body)
        assert answer.status_code == 200 and status_code(answer) == "20"
    assert {status for status, _at in states(familie, demo["meeting"]).values()} == {"sent"}


def test_the_report_notice_goes_by_digital_post_naming_no_child(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen, inbox: Inbox
) -> None:
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    resp = publish(familie, demo["meeting"])
    assert resp.status_code == 201
    resp.close()
    assert sorted(m.recipient for m in fake.received) == sorted([MOTHER, FATHER])
    for message in fake.received:
        assert message.valid, message.errors
        assert "Emma" not in message.title + message.notification
        assert "next_steps note" not in message.title + message.notification
        [(_name, letter)] = message.documents()
        assert "Rapporten" in pdf_text(letter)
    assert inbox.received == []
    assert {row["kind"] for row in letters(familie, demo["meeting"]).values()} == {"report"}


def test_a_letter_waiting_when_custody_ends_is_never_sent(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen
) -> None:
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    fake.fail_next = 2  # Serviceplatformen is down: both letters wait
    send_agenda(familie, demo["meeting"])
    assert fake.received == []
    father = next(
        g
        for g in familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()
        if g["relation"] == "far"
    )
    assert (
        familie.patch(f"/api/guardians/{father['id']}", {"has_custody": False}).status_code == 200
    )
    with app.app_context():
        db.session.execute(update(OutboundMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "Sent 1, failed 1" in result.output, result.output
    assert [m.recipient for m in fake.received] == [MOTHER]
    shown = letters(familie, demo["meeting"])
    assert shown["far"]["status"] == "failed" and not shown["far"]["retrying"]
