"""Meetings (trivselsmøder) of a course."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime
from sync import SyncRecord


class Meeting(SyncRecord, Base):
    """A start, follow-up or closing meeting at the board."""

    __tablename__ = "meeting"

    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    agenda: Mapped[str] = mapped_column(Text, default="")
    child_participation: Mapped[str | None] = mapped_column(String(10))
    child_perspective: Mapped[str] = mapped_column(Text, default="")
    next_meeting_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    underretning: Mapped[bool] = mapped_column(Boolean, default=False)
    underretning_note: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When it was finished at the table (the tablet's clock, offline too; clamped by the
    # server): the time the parents' report gives, not the planned start.
    held_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def scope(self) -> str:
        """Sync scope of the meeting's course."""
        return f"course:{self.course_id}"
