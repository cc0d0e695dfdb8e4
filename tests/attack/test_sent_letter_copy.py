"""A sent agenda letter leaves no copy of its PDF on the server (issue 19, finding 2).

The letter repeats the last board's "Det vi vil se ske", the agreements, who comes and
where. Once the mail server has it, the outbox row keeps its delivery state and a copy of
the mail's text without the link's secret, but not the PDF: a copy no later change to the
course reaches. A real SMTP server on 127.0.0.1 (aiosmtpd) receives the letters.

Since issue 22 an e-mail carries no PDF at all (LETTERS=email sends a notice; the letter is
read on the parents' pages), so the e-mails are checked for having none; the same rule for a
letter sent by Digital Post is in tests/server/test_digital_post.py."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import OutboundMessage
from tests.harness import ApiClient, Inbox
from tests.server.world import created


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp_port: int) -> dict[str, Any]:
    return {
        **app_config,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        "SMTP_STARTTLS": False,
        "MAIL_FROM": "trivsel@kommune.example",
    }


def test_a_sent_agenda_letter_keeps_no_pdf_on_the_server(
    app: Flask, as_user: Any, demo: dict[str, Any], inbox: Inbox
) -> None:
    familie: ApiClient = as_user("familie")
    created(
        familie.post(
            "/api/notes",
            {"meeting_id": demo["meeting"], "column": "next_steps", "text": "Fast voksen"},
        )
    )
    resp = familie.post(f"/api/meetings/{demo['meeting']}/agenda/send")
    assert resp.status_code == 200, resp.get_json()
    resp.close()  # the answer has gone out: now the letters are sent
    assert len(inbox.received) == 2
    assert not any(
        any(part.get_content_type() == "application/pdf" for part in mail.walk())
        for mail in inbox.received
    )
    with app.app_context():
        rows = list(db.session.scalars(select(OutboundMessage)))
        assert [row.status for row in rows] == ["sent", "sent"]
        assert all(row.attachment is None for row in rows)
        assert all(row.course_id == demo["course"] for row in rows)
