"""How a letter reaches a parent: one message per custody holder, by the channel ``LETTERS``
chooses (server/letters/settings.py).

- ``digital_post``: the letter goes to the guardian's Digital Post by CPR number
  (``digital_post.py``); its title and notification name neither the child nor the meeting.
  A guardian without a CPR number gets nothing, and the message says why (``unaddressable``)
  where staff see it.
- ``email``: a notice that there is a new letter and where to read it (the parents' pages,
  behind the parent's sign-in): no attachment, no name, nothing from the board.
- ``outbox``: the whole letter is kept on the server (development: ``flask outbox print``).

The callers (agenda letters, report notices, invitations) say what the letter is; only this
module knows the channels, and the outbox (``outbox.py``) sends what is queued here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import select

from server.extensions import db
from server.letters import outbox
from server.models import Guardian, OutboundMessage
from server.text import catalogue

# A guardian without a CPR number cannot be addressed in Digital Post: recorded, not retried.
NO_CPR = "The guardian has no CPR number in Trivsel: Digital Post cannot address the letter."


@dataclass(frozen=True)
class Letter:
    """A letter to one guardian. ``subject`` and ``body`` may name the child: they travel only
    inside Digital Post's document or stay on the server (outbox mode). ``link`` is where the
    parent reads it (the parents' pages; a personal link while parents have no MitID)."""

    kind: str  # "agenda", "report" or "invitation"
    subject: str
    body: str
    link: str
    document: bytes | None = None
    document_name: str | None = None
    # Who writes and whom to call (server/parents/sender.py): it ends the e-mail notice too.
    signature: str = ""


def mode() -> str:
    """The channel in force (resolved at start: server/letters/settings.py)."""
    return str(current_app.config["LETTERS"])


def recipients(child_id: str) -> Sequence[Guardian]:
    """The custody holders a letter about this child goes to: in Digital Post every one (one
    without a CPR number is shown as not reached); by e-mail those with an address."""
    query = select(Guardian).where(
        Guardian.child_id == child_id,
        Guardian.deleted_at.is_(None),
        Guardian.has_custody.is_(True),
    )
    if mode() != "digital_post":
        query = query.where(Guardian.email.is_not(None))
    return db.session.scalars(query.order_by(Guardian.id)).all()


def reachable(guardian: Guardian) -> bool:
    """Whether a letter to this guardian is queued at all (see ``recipients``)."""
    if not guardian.has_custody or guardian.deleted_at is not None:
        return False
    return mode() == "digital_post" or bool(guardian.email)


def deliver(
    guardian: Guardian,
    letter: Letter,
    course_id: str | None = None,
    meeting_id: str | None = None,
) -> OutboundMessage:
    """Queue ``letter`` to ``guardian`` on the channel in force (sent once the request's
    transaction commits, by ``outbox.send_pending``)."""
    chosen = mode()
    words = catalogue(guardian.language).LETTERS  # the guardian's language (issue 21)
    if chosen == "email":
        # The notice only: the letter stays on the server, read behind the parent's sign-in.
        message = outbox.queue(
            guardian.email or "",
            words["notice_subject"],
            words["notice_body"].format(link=letter.link, signature=letter.signature),
            guardian.id,
            course_id,
        )
    elif chosen == "digital_post":
        message = OutboundMessage(
            to_address="",
            subject=words["title"],
            body=letter.body,
            guardian_id=guardian.id,
            course_id=course_id,
            channel="digital_post",
            status="pending",
            attachment=letter.document,
            attachment_name=letter.document_name,
        )
        if guardian.cpr is None:
            # Nothing of the letter is kept for a message that will never go.
            message.status, message.last_error, message.body = "unaddressable", NO_CPR, ""
            message.attachment = None
        db.session.add(message)
        g.trivsel_outbox_queued = True
    else:
        message = outbox.queue(
            guardian.email or "", letter.subject, letter.body, guardian.id, course_id
        )
        message.attachment, message.attachment_name = letter.document, letter.document_name
        # Kept on the server, never sent: SMTP_HOST may well be set in this mode (staff's own
        # mail needs it), and outbox.queue would then send the whole letter to the parent.
        message.status = "kept"
    message.kind, message.meeting_id = letter.kind, meeting_id
    return message
