"""The scaling question (Signs of Safety): each participant's answer from 0 to 10."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class ScalingAnswer(SyncRecord, MeetingPart, Base):
    """Where one person at the meeting (or the child, told beforehand) puts things today.

    Name and role are kept with the answer, as said at the table, so the course's answers
    can be followed person by person from meeting to meeting."""

    __tablename__ = "scaling_answer"

    participant_id: Mapped[str | None] = mapped_column(ForeignKey("participant.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    value: Mapped[int] = mapped_column(Integer)
