"""Photos of the board: the minutes of the meeting."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
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
    # "" for a photo of the board; a part of the child's three houses (HOUSE_PARTS) for the
    # photo of the child's drawing in it, which is shown and reported with the houses only.
    house: Mapped[str] = mapped_column(String(10), default="", server_default="")
    # Whose upload of content_hash backs this record: its author, or (when its author could
    # already read that photo through another record) that record's uploader. The bytes are
    # served only once this user has uploaded them (server/photos/access.py). Never on the wire.
    uploader_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
