"""Guardians (forældre/værger) of a child."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.identity.cpr import Cpr
from server.identity.cpr_store import app_keyring
from server.identity.cpr_types import LOOKUP_HASH_LENGTH, EncryptedCpr
from sync import SyncRecord


class Guardian(SyncRecord, Base):
    """A guardian; both custody holders must get invitations, reports and consent requests."""

    __tablename__ = "guardian"

    child_id: Mapped[str] = mapped_column(ForeignKey("child.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    has_custody: Mapped[bool] = mapped_column(Boolean, default=True)
    # The language the guardian chose on the parents' pages ("da" or "en", issue 21): their
    # letters, notices and e-mails are written in it. Set only by the parent's own switch
    # (server/parents/language.py); never synced to a tablet (the staff app is Danish).
    # (The database's default only: an INSERT need not name it, as older migrations' tests
    # write guardians without it.)
    language: Mapped[str] = mapped_column(String(2), server_default="da")
    # Never sent to a tablet, a parent, a log or the outbox (docs/identity.md): no schema of
    # the sync or parents' pages names these columns. Set both with cpr_store.set_cpr.
    cpr: Mapped[Cpr | None] = mapped_column(
        EncryptedCpr(app_keyring, "guardian.cpr"), nullable=True
    )
    cpr_lookup: Mapped[str | None] = mapped_column(String(LOOKUP_HASH_LENGTH), index=True)

    @property
    def scope(self) -> str:
        """Sync scope of the guardian's child."""
        return f"child:{self.child_id}"
