"""The child's three houses: the child's own voice, in the child's own form (issue 25 §3)."""

from __future__ import annotations

from sqlalchemy import Boolean, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class Houses(SyncRecord, MeetingPart, Base):
    """What the child put in "Huset med bekymringer", "Huset med de gode ting" and
    "Drømmehuset", in words, captured before or at the meeting with the child.

    A drawing's photo is a ``board_photo`` record of the same meeting whose ``house`` names
    the part it belongs to: the photo path (upload, proof of possession, EXIF stripping,
    serving only through a readable record, retention) then guards drawings as it guards the
    board, with nothing of it written twice. The tablet makes one per meeting under an id
    derived from the meeting, so two tablets at the table fill the same record.

    Parents see none of it unless ``shared_with_parents``: the child told it to staff, and
    whether it goes further is decided with the child."""

    __tablename__ = "houses"

    worries: Mapped[str] = mapped_column(Text, default="")
    good: Mapped[str] = mapped_column(Text, default="")
    dream: Mapped[str] = mapped_column(Text, default="")
    shared_with_parents: Mapped[bool] = mapped_column(Boolean, default=False)
