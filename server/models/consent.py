"""Consent (samtykke) per guardian per course."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime
from sync import SyncRecord


class Consent(SyncRecord, Base):
    """A guardian's consent: requested, granted, declined or withdrawn, with dates."""

    __tablename__ = "consent"

    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), index=True)
    guardian_id: Mapped[str] = mapped_column(ForeignKey("guardian.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    channel: Mapped[str] = mapped_column(String(30), default="")
    requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    granted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    declined_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def scope(self) -> str:
        """Sync scope of the course."""
        return f"course:{self.course_id}"
