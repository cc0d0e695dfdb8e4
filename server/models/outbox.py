"""The notification outbox: messages are stored with the change that causes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime, created_col, uuid_pk


class OutboundMessage(Base):
    """One e-mail to send. ``status``: ``pending`` (to send over SMTP), ``sending`` (claimed
    by one sender at ``claimed_at``), ``sent``, ``failed`` (retried by ``flask outbox send``),
    or ``kept`` (no SMTP configured: printed by ``flask outbox print`` for the operator)."""

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
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
