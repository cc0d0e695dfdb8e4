"""With SMTP configured, invitations are really sent, each exactly once: a real SMTP server
on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.letters import outbox
from server.letters.outbox import CLAIM_TIMEOUT, MAX_ATTEMPTS
from server.models import OutboundMessage
from server.models._common import utcnow
from tests.harness import Inbox
from tests.server.reporting import LINK, fill_meeting, publish


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp_port: int) -> dict[str, Any]:
    return {
        **app_config,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        "SMTP_STARTTLS": False,
        "MAIL_FROM": "trivsel@kommune.example",
    }


def statuses(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(m.status for m in db.session.query(OutboundMessage))


def test_invitations_are_sent_once_the_publishing_request_is_answered(
    app: Flask, as_user: Any, demo: dict[str, Any], inbox: Inbox
) -> None:
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    resp = publish(familie, demo["meeting"])
    assert resp.status_code == 201
    resp.close()  # the answer has gone out: now the mail is sent
    assert sorted(m["To"] for m in inbox.received) == ["lars@example.net", "mette@example.net"]
    mail = message_from_bytes(bytes(inbox.received[0]))
    assert mail["From"] == "trivsel@kommune.example" and "/p/invitation/" in str(
        inbox.received[0].get_payload()
    )
    assert statuses(app) == ["sent", "sent"]
    # The kept copy no longer holds the link's secret: only the guardian has it.
    sent_link = LINK.search(str(inbox.received[0].get_payload()))
    assert sent_link
    with app.app_context():
        for row in db.session.query(OutboundMessage):
            assert "/p/invitation/…" in row.body
            assert sent_link.group(0).split("/p/invitation/")[1] not in row.body


def test_a_mail_server_that_is_down_is_retried_by_the_send_command(
    app: Flask, as_user: Any, demo: dict[str, Any], smtp_port: int
) -> None:
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    publish(familie, demo["meeting"]).close()  # no SMTP server is listening yet
    assert statuses(app) == ["failed", "failed"]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        result = app.test_cli_runner().invoke(args=["outbox", "send"])
        assert "Sent 2, failed 0" in result.output, result.output
    finally:
        controller.stop()
    assert len(handler.received) == 2
    assert statuses(app) == ["sent", "sent"]


class SlowInbox(Inbox):
    """A mail server that takes a while over each message, so two senders overlap."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.15)
        answer: str = await super().handle_DATA(server, session, envelope)
        return answer


def queue_messages(app: Flask, count: int) -> None:
    with app.test_request_context():
        for i in range(count):
            outbox.queue(f"parent{i}@example.net", f"Besked {i}", f"Hej {i}")
        db.session.commit()


def test_two_senders_at_once_send_each_message_exactly_once(
    app: Flask, as_user: Any, demo: dict[str, Any], smtp_port: int
) -> None:
    """The sender that runs after a request and `flask outbox send` from cron, at the same
    moment, against a real SMTP server: every message arrives once."""
    handler = SlowInbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        familie = as_user("familie")
        queue_messages(app, 10)
        guardian = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()[0]
        start = threading.Barrier(2)
        cli: list[str] = []

        def cron() -> None:
            start.wait()
            cli.append(app.test_cli_runner().invoke(args=["outbox", "send"]).output)

        thread = threading.Thread(target=cron)
        thread.start()
        resp = familie.post(f"/api/guardians/{guardian['id']}/invitations")  # queues one more
        assert resp.status_code == 201
        start.wait()
        resp.close()  # the after-response sender runs now, beside the cron job
        thread.join(timeout=60)
    finally:
        controller.stop()
    recipients = Counter(str(m["To"]) for m in handler.received)
    assert len(recipients) == 11 and set(recipients.values()) == {1}, recipients
    assert statuses(app) == ["sent"] * 11
    by_cron = int(cli[0].split("Sent ")[1].split(",")[0])
    assert 0 < by_cron < 11, cli  # both senders were at work at the same time


def test_a_claim_whose_sender_died_is_taken_over_after_the_timeout(
    app: Flask, demo: dict[str, Any], inbox: Inbox
) -> None:
    queue_messages(app, 3)
    now = utcnow()
    with app.app_context():
        rows = db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.to_address))
        died, busy, spent = rows.all()
        died.status, died.attempts, died.claimed_at = (
            "sending",
            1,
            now - CLAIM_TIMEOUT - timedelta(seconds=1),
        )
        busy.status, busy.attempts, busy.claimed_at = "sending", 1, now - timedelta(seconds=30)
        spent.status, spent.attempts, spent.claimed_at = (
            "sending",
            MAX_ATTEMPTS,
            (now - CLAIM_TIMEOUT - timedelta(seconds=1)),
        )
        db.session.commit()
    output = app.test_cli_runner().invoke(args=["outbox", "send"]).output
    assert "Sent 1, failed 0" in output, output
    assert [str(m["To"]) for m in inbox.received] == ["parent0@example.net"]
    with app.app_context():
        by_address = {m.to_address: m for m in db.session.scalars(select(OutboundMessage))}
        assert (
            by_address["parent0@example.net"].status,
            by_address["parent0@example.net"].attempts,
        ) == ("sent", 2)
        assert by_address["parent1@example.net"].status == "sending"  # its sender is at it
        assert by_address["parent2@example.net"].status == "failed"  # no attempts left
        assert by_address["parent2@example.net"].last_error


def test_a_refused_recipient_is_recorded_without_the_address(
    app: Flask, demo: dict[str, Any], smtp_port: int
) -> None:
    class Refusing(Inbox):
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
        ) -> str:
            return f"550 5.1.1 <{address}>: Recipient address rejected"

    controller = Controller(Refusing(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        queue_messages(app, 1)
        assert "failed 1" in app.test_cli_runner().invoke(args=["outbox", "send"]).output
    finally:
        controller.stop()
    with app.app_context():
        row = db.session.scalars(select(OutboundMessage)).one()
        assert "Recipient address rejected" in row.last_error
        assert "parent0" not in row.last_error and "…@example.net" in row.last_error
