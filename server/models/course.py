"""Courses (trivselsforløb): at most 5 meetings within at most 6 months."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime
from sync import SyncRecord


class Course(SyncRecord, Base):
    """A well-being course for one child, led by a worker from the family unit."""

    __tablename__ = "course"

    child_id: Mapped[str] = mapped_column(ForeignKey("child.id"), index=True)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institution.id"), index=True)
    leader_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    concern_level: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), default="active")
    start_date: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def scope(self) -> str:
        """Sync scope: everything about a course travels together."""
        return f"course:{self.id}"


class CourseMember(Base):
    """Staff added to a course besides its leader (family unit colleagues, PPR)."""

    __tablename__ = "course_member"

    course_id: Mapped[str] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
