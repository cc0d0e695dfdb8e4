"""Photos of the board: the minutes of the meeting."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class BoardPhoto(SyncRecord, MeetingPart, Base):
    """A board photo record; the bytes live in the blob store under content_hash."""

    __tablename__ = "board_photo"

    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(20), default="image/jpeg")
    size: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(String(500), default="")
