"""Notes on the board, in the three Signs of Safety columns."""

from __future__ import annotations

from sqlalchemy import Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class BoardNote(SyncRecord, MeetingPart, Base):
    """One note in worries / working / next_steps, ordered by position."""

    __tablename__ = "board_note"

    column: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    # A float so a note can be moved between two others without renumbering the column.
    position: Mapped[float] = mapped_column(Float, default=0.0)
