"""Published reports for parents, and who has read them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class Report(SyncRecord, MeetingPart, Base):
    """One published version of a meeting's report: a frozen snapshot parents read.

    The tablet creates the record (offline if need be) to ask for publication; the server
    fills in the number and the snapshot when it accepts it. A later record for the same
    meeting is a corrected version; parents always read the newest.
    """

    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("meeting_id", "number", name="uq_report_number"),)

    number: Mapped[int] = mapped_column(Integer, default=1)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    published_by_name: Mapped[str] = mapped_column(String(200), default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ReportReading(SyncRecord, MeetingPart, Base):
    """A guardian's first reading of one version of a report (a read receipt for staff)."""

    __tablename__ = "report_reading"
    __table_args__ = (UniqueConstraint("report_id", "guardian_id", name="uq_report_reading"),)

    report_id: Mapped[str] = mapped_column(ForeignKey("report.id"), index=True)
    guardian_id: Mapped[str] = mapped_column(ForeignKey("guardian.id"))
    guardian_label: Mapped[str] = mapped_column(String(200), default="")
    read_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Filing(SyncRecord, MeetingPart, Base):
    """A report filed in the municipality's case system: what, where, and by whom."""

    __tablename__ = "filing"

    report_id: Mapped[str | None] = mapped_column(ForeignKey("report.id"))
    filed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    filed_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    filed_by_name: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(500), default="")
