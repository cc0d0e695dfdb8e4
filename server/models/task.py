"""Follow-up tasks around the meetings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime
from sync import SyncRecord


class Task(SyncRecord, Base):
    """A follow-up task with an assignee role (and optionally a person) and a due date."""

    __tablename__ = "task"

    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), index=True)
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("meeting.id"))
    kind: Mapped[str] = mapped_column(String(40), default="other")
    title: Mapped[str] = mapped_column(String(300))
    assignee_role: Mapped[str] = mapped_column(String(20))
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def scope(self) -> str:
        """Sync scope of the course."""
        return f"course:{self.course_id}"
