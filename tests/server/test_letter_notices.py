"""LETTERS=email: a parent gets a notice that there is a new letter and where to read it (the
parents' pages, behind the parent's sign-in), with no attachment and no child data: no name,
no place, nothing from the board. The letter itself is read on the parents' pages. A real
SMTP server on 127.0.0.1 (aiosmtpd) receives what is sent."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask

from tests.harness import Inbox
from tests.server.courses import BOARD, follow_up_with_board
from tests.server.reporting import LINK, fill_meeting, pdf_text, phone, publish


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp_port: int) -> dict[str, Any]:
    return {
        **app_config,
        "LETTERS": "email",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        "SMTP_STARTTLS": False,
    }


def mails(inbox: Inbox) -> list[EmailMessage]:
    found = []
    for raw in inbox.received:
        mail = message_from_bytes(bytes(raw), policy=policy.default)
        assert isinstance(mail, EmailMessage)
        found.append(mail)
    return found


def assert_names_nothing(mail: EmailMessage, *secrets: str) -> None:
    assert not mail.is_multipart()  # no attachment
    text = f"{mail['Subject']}\n{mail.get_content()}"
    assert "Nyt brev fra Familieindgangen" in text
    for secret in ("Emma", "Solsikken", *secrets):
        assert secret not in text, secret


def test_an_agenda_by_email_is_a_notice_and_the_letter_is_read_on_the_parents_pages(
    app: Flask, as_user: Any, demo: dict[str, Any], inbox: Inbox
) -> None:
    familie = as_user("familie")
    follow = follow_up_with_board(familie, demo)
    resp = familie.post(f"/api/meetings/{follow}/agenda/send")
    assert resp.status_code == 200 and resp.get_json() == {"sent": 2}
    resp.close()
    received = mails(inbox)
    assert sorted(str(m["To"]) for m in received) == ["lars@example.net", "mette@example.net"]
    for mail in received:
        assert_names_nothing(mail, *BOARD)
    # The link signs the parent in, and the letter waits on the parents' pages.
    link = LINK.search(received[0].get_content())
    assert link
    reader = phone(app, "/p/" + link.group(0).split("/p/", 1)[1])
    listing = reader.get("/p/letters")
    assert listing.status_code == 200
    assert f"/p/letters/{follow}.pdf" in listing.get_data(as_text=True)
    pdf = reader.get(f"/p/letters/{follow}.pdf")
    assert pdf.status_code == 200 and BOARD[0] in pdf_text(pdf.data)
    shown = {r["channel"] for r in familie.get(f"/api/meetings/{follow}/letters").get_json()}
    assert shown == {"email"}


def test_a_report_notice_by_email_names_no_child(
    app: Flask, as_user: Any, demo: dict[str, Any], inbox: Inbox
) -> None:
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    resp = publish(familie, demo["meeting"])
    assert resp.status_code == 201
    resp.close()
    received = mails(inbox)
    assert len(received) == 2
    for mail in received:
        assert_names_nothing(mail, "next_steps note", "Pædagogen inviterer")
        assert LINK.search(mail.get_content())


def test_letters_kept_on_the_server_are_never_mailed_though_a_mail_server_is_set(
    app: Flask, as_user: Any, demo: dict[str, Any], inbox: Inbox
) -> None:
    """LETTERS=outbox beside SMTP_HOST (staff's own mail needs one): the parents get nothing,
    not the whole letter with the child's name and the PDF."""
    app.config["LETTERS"] = "outbox"
    familie = as_user("familie")
    resp = familie.post(f"/api/meetings/{demo['meeting']}/agenda/send")
    assert resp.status_code == 200
    resp.close()
    assert mails(inbox) == []
    shown = familie.get(f"/api/meetings/{demo['meeting']}/letters").get_json()
    assert shown and {r["status"] for r in shown} == {"kept"}
