"""Children whose well-being a course is about."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from sync import SyncRecord


class Child(SyncRecord, Base):
    """A child (barnet/den unge); tablets receive it read-only with its courses."""

    __tablename__ = "child"

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institution.id"), index=True)
    # Who registered the child: the family unit may register a child before a course exists.
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))

    @property
    def scope(self) -> str:
        """Sync scope: children travel in a scope of their own, shared by their courses."""
        return f"child:{self.id}"
