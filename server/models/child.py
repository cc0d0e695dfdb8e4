"""Children whose well-being a course is about."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.identity.cpr import Cpr
from server.identity.cpr_store import app_keyring
from server.identity.cpr_types import LOOKUP_HASH_LENGTH, EncryptedCpr
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
    # Never sent to a tablet, a parent, a log or the outbox (docs/identity.md): no schema of
    # the sync or parents' pages names these columns. Set both with cpr_store.set_cpr.
    cpr: Mapped[Cpr | None] = mapped_column(EncryptedCpr(app_keyring, "child.cpr"), nullable=True)
    cpr_lookup: Mapped[str | None] = mapped_column(String(LOOKUP_HASH_LENGTH), index=True)

    @property
    def scope(self) -> str:
        """Sync scope: children travel in a scope of their own, shared by their courses."""
        return f"child:{self.id}"
