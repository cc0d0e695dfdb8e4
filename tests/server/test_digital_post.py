"""Letters by Digital Post (LETTERS=digital_post), against a local fake of Serviceplatformen
over real HTTP (tests/server/serviceplatformen.py): the token exchange, SF1601
KombiPostAfsend and the delivery receipts. A real SMTP server is configured beside it and
must see nothing: in this mode no e-mail goes to a parent at all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import set_cpr
from server.models import Guardian, OutboundMessage
from server.models._common import utcnow
from tests.harness import ApiClient, Inbox
from tests.server.courses import BOARD, follow_up_with_board
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


def give_cprs(app: Flask, child_id: str, cprs: dict[str, str | None]) -> None:
    """CPR numbers for the child's guardians, by relation ("mor", "far"); None takes the
    demo's away."""
    with app.app_context():
        for guardian in db.session.scalars(select(Guardian).where(Guardian.child_id == child_id)):
            if guardian.relation in cprs:
                number = cprs[guardian.relation]
                set_cpr(guardian, Cpr(number) if number else None)
        db.session.commit()


def send_agenda(familie: ApiClient, meeting_id: str) -> int:
    resp = familie.post(f"/api/meetings/{meeting_id}/agenda/send")
    assert resp.status_code == 200, resp.get_json()
    sent: int = resp.get_json()["sent"]
    resp.close()  # the answer has gone out: now the letters are sent
    return sent


def letters(familie: ApiClient, meeting_id: str) -> dict[str, dict[str, Any]]:
    """The meeting's letters as the tablet gets them, by guardian relation."""
    resp = familie.get(f"/api/meetings/{meeting_id}/letters")
    assert resp.status_code == 200
    return {row["guardian"]: row for row in resp.get_json()}


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


def test_receipts_say_delivered_or_sent_as_a_paper_letter(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen
) -> None:
    give_cprs(app, demo["children"]["Emma"], {"mor": MOTHER, "far": FATHER})
    familie = as_user("familie")
    send_agenda(familie, demo["meeting"])
    by_cpr = {m.recipient: m.uuid for m in fake.received}
    fake.receipt(by_cpr[MOTHER], "delivered")
    fake.receipt(by_cpr[FATHER], "printed")  # exempt from Digital Post: fjernprint
    fake.receipt("no-such-message", "delivered")
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "Receipts: 2 letter(s) changed state." in result.output, result.output
    shown = letters(familie, demo["meeting"])
    assert shown["mor"]["status"] == "delivered" and shown["far"]["status"] == "printed"
    assert shown["far"]["delivered_at"].startswith("2026-12-07T10:05")
    # The same receipts read again change nothing.
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "Receipts: 0 letter(s) changed state." in result.output


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
