"""Who takes part in a meeting, and whether they came."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class Participant(SyncRecord, MeetingPart, Base):
    """A person at the meeting: a guardian, the child, staff or another professional."""

    __tablename__ = "participant"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    present: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    guardian_id: Mapped[str | None] = mapped_column(ForeignKey("guardian.id"))
