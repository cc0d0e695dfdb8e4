"""Agreements made at a meeting: who does what, by when."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class Agreement(SyncRecord, MeetingPart, Base):
    """An agreement (aftale) owned by the guardians, the institution, the family unit or PPR."""

    __tablename__ = "agreement"

    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    # How it went, said at the next meeting: done, not done, or carried on (a new agreement
    # at that meeting names this one in carried_from_id).
    outcome: Mapped[str | None] = mapped_column(String(20))
    carried_from_id: Mapped[str | None] = mapped_column(ForeignKey("agreement.id"))
