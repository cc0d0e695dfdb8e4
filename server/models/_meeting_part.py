"""Columns every part of a meeting carries."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class MeetingPart:
    """Mixin: belongs to a meeting, and (denormalised) to its course for scoping and access."""

    @declared_attr
    def meeting_id(cls) -> Mapped[str]:
        return mapped_column(ForeignKey("meeting.id"), index=True)

    @declared_attr
    def course_id(cls) -> Mapped[str]:
        return mapped_column(ForeignKey("course.id"), index=True)

    @property
    def scope(self) -> str:
        """Sync scope of the course the meeting belongs to."""
        return f"course:{self.course_id}"
