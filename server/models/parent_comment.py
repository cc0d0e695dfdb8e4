"""Parents' own words on a published report ("Vores bemærkninger")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class ParentComment(SyncRecord, MeetingPart, Base):
    """A guardian's comment on a meeting's report, written on the phone. Its author and the
    course's staff read it; the other guardian only when its author chose to share it. Only
    its author changes it (withdrawing it deletes it and its text)."""

    __tablename__ = "parent_comment"

    report_id: Mapped[str] = mapped_column(ForeignKey("report.id"), index=True)
    guardian_id: Mapped[str] = mapped_column(ForeignKey("guardian.id"), index=True)
    guardian_label: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    written_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Separated parents may be in conflict (issue 21): the other guardian reads a comment
    # only when its author ticked "share" on the form. Off by default; never on the wire
    # (staff read every comment, and the choice is the parents' page's business alone).
    shared_with_guardians: Mapped[bool] = mapped_column(Boolean, default=False)
