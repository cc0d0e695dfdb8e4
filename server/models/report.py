"""Published reports for parents, and who has read them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class ReportPage(Base):
    """A published version as the parents' phones are sent it, made once when it was
    published (server/reports/frozen.py): its page without the parents' comments (which
    change after publication and are put in at ``COMMENTS``), and its JSON answer.

    Not synced: it holds nothing the snapshot does not. Deleted with the course (retention).
    """

    __tablename__ = "report_page"

    report_id: Mapped[str] = mapped_column(ForeignKey("report.id"), primary_key=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), index=True)
    html: Mapped[str] = mapped_column(Text)
    # The same page in English (issue 21): None for a page kept before English existed,
    # filled in at its first English view.
    html_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    json_body: Mapped[str] = mapped_column(Text)
    rendered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Only so that a page added with its report is written after it (never loaded).
    report: Mapped[Report] = relationship(lazy="raise")


class ReportReading(SyncRecord, MeetingPart, Base):
    """A guardian's first reading of one version of a report (a read receipt for staff)."""

    __tablename__ = "report_reading"
    __table_args__ = (UniqueConstraint("report_id", "guardian_id", name="uq_report_reading"),)

    report_id: Mapped[str] = mapped_column(ForeignKey("report.id"), index=True)
    guardian_id: Mapped[str] = mapped_column(ForeignKey("guardian.id"))
    guardian_label: Mapped[str] = mapped_column(String(200), default="")
    read_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Filing(SyncRecord, MeetingPart, Base):
    """A report filed in the municipality's case system: what, where, by whom, and whether
    the receiving side has acknowledged it (server/filing/send.py).

    ``filed_at`` is when it was asked for; it is filed ("Journaliseret") only once
    ``acknowledged_at`` is set. Until then ``state`` is ``sent`` (handed over, no receipt
    yet) or ``failed`` (not taken; the filing job tries again), and retention keeps the
    course."""

    __tablename__ = "filing"

    report_id: Mapped[str | None] = mapped_column(ForeignKey("report.id"))
    filed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    filed_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    filed_by_name: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[str] = mapped_column(String(20), default="sent")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Why the last attempt was not acknowledged, for staff and the log (never a CPR number:
    # the receiving side's reason, or the kind of failure).
    last_error: Mapped[str] = mapped_column(String(300), default="")
