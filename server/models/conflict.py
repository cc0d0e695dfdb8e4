"""Values that lost a conflict, kept for their author (PROTOCOL.md properties 4 and 5)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from sync import SyncRecord


class SyncConflict(SyncRecord, Base):
    """One field value that lost to another edit, or an edit made to a deleted record.

    It travels to every device of its author (scope ``user:<id>``), who can restore the value
    (by pushing it again) and then mark the conflict resolved.
    """

    __tablename__ = "sync_conflict"

    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    course_id: Mapped[str | None] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    value: Mapped[Any] = mapped_column(JSON)
    clock: Mapped[str] = mapped_column(String(100))
    winning_value: Mapped[Any] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(20))  # "field" or "deleted"
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def scope(self) -> str:
        """Only its author's devices receive it."""
        return f"user:{self.user_id}"
