"""Mail to the relay is sent only to a relay that proves who it is (issue 19, finding 10).

The old code called ``smtp.starttls()`` without a context: smtplib then checks neither the
certificate nor the name, so anyone who answered in the relay's place (on the network
between the app and the relay) got the relay's password and the parents' personal links.
Here a real STARTTLS server on 127.0.0.1 (aiosmtpd) shows a certificate from a CA no system
trusts (made by trustme): nothing is sent to it, no password reaches it, the message stays
in the outbox as failed with the reason; with ``SMTP_CA_FILE`` naming that CA it is sent.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask
from sqlalchemy import select

from server import create_app
from server.extensions import db
from server.letters import outbox
from server.models import OutboundMessage
from tests.harness import free_port


class Relay(Message):
    """A relay that keeps what it receives, and every password a client gives it."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Any] = []
        self.passwords: list[str] = []

    def handle_message(self, message: Any) -> None:
        self.received.append(message)

    def authenticate(
        self, _server: Any, _session: Any, _envelope: Any, _mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            self.passwords.append(auth_data.password.decode())
        return AuthResult(success=True)


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def relay(ca: trustme.CA) -> Iterator[tuple[Relay, int]]:
    """STARTTLS required before anything else, with a certificate for 127.0.0.1 from ``ca``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    handler, port = Relay(), free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=handler.authenticate,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], relay: tuple[Relay, int]) -> dict[str, Any]:
    return {
        **app_config,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": relay[1],
        "SMTP_STARTTLS": True,
        "SMTP_USER": "trivsel",
        "SMTP_PASSWORD": "relay-secret",
        "MAIL_FROM": "trivsel@kommune.example",
    }


def send(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return outbox.send_pending()


def the_message(app: Flask) -> OutboundMessage:
    with app.app_context():
        row = db.session.scalars(select(OutboundMessage)).one()
        db.session.expunge(row)
        return row


def test_a_relay_whose_certificate_is_not_trusted_gets_nothing(
    app: Flask,
    app_config: dict[str, Any],
    relay: tuple[Relay, int],
    ca: trustme.CA,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    handler, _ = relay
    with app.app_context():
        outbox.queue(
            "parent@example.net",
            "Invitation",
            "https://trivsel.example/p/invitation/secret-link-token",
        )
        db.session.commit()
    with caplog.at_level(logging.ERROR):
        assert send(app) == (0, 1)
    assert handler.received == [] and handler.passwords == []
    failed = the_message(app)
    assert failed.status == "failed" and "certificate verify failed" in failed.last_error
    assert "SMTP_CA_FILE" in caplog.text  # the operator is told what to set
    # Configured with the relay's CA, the same message goes out on the next run: nothing lost.
    ca_file = tmp_path / "relay-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    trusting = create_app({**app_config, "SMTP_CA_FILE": str(ca_file)})
    assert send(trusting) == (1, 0)
    assert len(handler.received) == 1 and handler.received[0]["To"] == "parent@example.net"
    assert handler.passwords == ["relay-secret"]
    assert the_message(app).status == "sent"


def test_a_ca_file_that_is_not_there_is_refused_at_start(
    app_config: dict[str, Any], tmp_path: Path
) -> None:
    from server.config import ConfigError

    with pytest.raises(ConfigError, match="SMTP_CA_FILE"):
        create_app({**app_config, "SMTP_CA_FILE": str(tmp_path / "missing.pem")})
