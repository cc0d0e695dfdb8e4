"""Documents added to a course: the resource assessment, TOPI results and the like."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime, created_col, uuid_pk


class Attachment(Base):
    """A PDF or image of a course; the bytes are stored by their SHA-256 (ATTACHMENT_DIR)."""

    __tablename__ = "attachment"

    id: Mapped[str] = uuid_pk()
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), default="other")
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    shared_with_guardians: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_col()
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
