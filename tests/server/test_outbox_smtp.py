"""With SMTP configured, invitations are really sent: a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from flask import Flask

from server.extensions import db
from server.models import OutboundMessage
from tests.server.reporting import LINK, fill_meeting, publish


class Inbox(Message):
    """Keeps every message the SMTP server receives."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.received.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp_port: int) -> dict[str, Any]:
    return {**app_config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port,
            "SMTP_STARTTLS": False, "MAIL_FROM": "trivsel@kommune.example"}


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


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
        inbox.received[0].get_payload())
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
