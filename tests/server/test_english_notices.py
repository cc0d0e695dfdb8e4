"""LETTERS=email (issue 21, point 8): the notice of a new letter goes in the language its
guardian chose; a real SMTP server on 127.0.0.1 receives it, as in test_letter_notices.py."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from server.extensions import db
from server.models import Guardian
from server.text import da, en
from tests.harness import Inbox
from tests.server.courses import follow_up_with_board


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp_port: int) -> dict[str, Any]:
    return {
        **app_config,
        "LETTERS": "email",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        "SMTP_STARTTLS": False,
    }


def test_the_e_mail_notice_is_in_the_guardians_language(
    app: Flask, as_user: Any, demo: dict[str, Any], inbox: Inbox
) -> None:
    with app.app_context():
        db.session.execute(
            update(Guardian)
            .where(Guardian.child_id == demo["children"]["Emma"], Guardian.relation == "mor")
            .values(language="en")
        )
        db.session.commit()
    familie = as_user("familie")
    follow = follow_up_with_board(familie, demo)
    resp = familie.post(f"/api/meetings/{follow}/agenda/send")
    assert resp.status_code == 200 and resp.get_json() == {"sent": 2}
    resp.close()
    mails: dict[str, EmailMessage] = {}
    for raw in inbox.received:
        mail = message_from_bytes(bytes(raw), policy=policy.default)
        assert isinstance(mail, EmailMessage)
        mails[str(mail["To"])] = mail
    mother, father = mails["mette@example.net"], mails["lars@example.net"]
    assert mother["Subject"] == en.LETTERS["notice_subject"]
    assert mother.get_content().startswith("Hello")
    assert en.SENDER["mail_regards"] in mother.get_content()
    assert father["Subject"] == da.LETTERS["notice_subject"]
    assert da.SENDER["mail_regards"] in father.get_content()
