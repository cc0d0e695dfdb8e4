"""Staff users: admins, the family unit, educators and PPR psychologists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import Base
from server.models._common import UtcDateTime, created_col, uuid_pk
from server.models.institution import Institution


class User(Base):
    """A member of staff who signs in with e-mail and password."""

    __tablename__ = "user_account"

    id: Mapped[str] = uuid_pk()
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    institution_id: Mapped[str | None] = mapped_column(
        ForeignKey("institution.id", ondelete="RESTRICT"), index=True
    )
    # Empty until the person chooses a password through their one-time link: nobody else
    # (no admin) ever sets or learns it.
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_col()
    # Provenance for the two-admin rule (server/users/approval.py): who asked for the
    # account, and who approved it. Both None for accounts made outside the API (the
    # command line, the demo), which an operator with server access made.
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    institution: Mapped[Institution | None] = relationship()

