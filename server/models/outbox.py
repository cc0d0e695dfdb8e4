"""The notification outbox: messages are stored with the change that causes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime, created_col, uuid_pk


class OutboundMessage(Base):
    """One message to send, by e-mail or Digital Post (``channel``). ``status``: ``pending``
    (to send), ``sending`` (claimed by one sender at ``claimed_at``), ``sent`` (the mail
    server or Digital Post took it), ``delivered`` (Digital Post's receipt: in the
    recipient's mailbox), ``printed`` (Digital Post's receipt: sent as a paper letter,
    fjernprint), ``failed`` (retried from ``next_attempt_at`` while attempts are left),
    ``unaddressable`` (never sent: the guardian has no CPR number for Digital Post), or
    ``kept`` (LETTERS=outbox: printed by ``flask outbox print`` for the operator)."""

    __tablename__ = "outbound_message"

    id: Mapped[str] = uuid_pk()
    created_at: Mapped[datetime] = created_col()
    to_address: Mapped[str] = mapped_column(String(254))
    guardian_id: Mapped[str | None] = mapped_column(ForeignKey("guardian.id"), index=True)
    # The course the message is about (an agenda letter, a consent request, a report notice):
    # retention deletes it with the course, whatever its state. None for a message about the
    # child as a whole (an invitation to the parents' pages), which goes with the guardian.
    course_id: Mapped[str | None] = mapped_column(ForeignKey("course.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When a sender claimed the row; a claim older than the outbox's timeout is taken to
    # belong to a sender that died, and the row may be claimed again.
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # "email" or "digital_post": fixed when the message is queued (a change of LETTERS
    # later does not move a message between channels half-way).
    channel: Mapped[str] = mapped_column(String(20), server_default="email")
    # What the letter is ("agenda", "report", "invitation") and the meeting it is about:
    # the tablet shows a meeting's letters with their delivery beside the agenda.
    kind: Mapped[str | None] = mapped_column(String(20))
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    # A failed message waits until then before the next attempt (growing backoff).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When Digital Post's receipt said delivered or printed.
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
