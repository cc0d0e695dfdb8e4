"""Optional written minutes besides the board photo."""

from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class Minutes(SyncRecord, MeetingPart, Base):
    """Written minutes (referat) of a meeting."""

    __tablename__ = "minutes"

    text: Mapped[str] = mapped_column(Text, default="")
