"""Account changes waiting for a second admin, and one-time links to set a password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime, created_col, uuid_pk

# What a change may be about. A new account, and any change that grants or moves access
# (role, institution, reactivation) or decides where password links go (e-mail), waits for
# a second admin; a name change or a deactivation takes effect at once and is only recorded.
CHANGE_KINDS = ("create", "change")
CHANGE_STATUSES = ("pending", "approved", "rejected")


class AccountChange(Base):
    """A request by one admin to create an account or change its access; it takes effect only
    when a different, unrelated admin approves it (server/users/approval.py)."""

    __tablename__ = "account_change"

    id: Mapped[str] = uuid_pk()
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The requested values as JSON ({"role": ..., "institution_id": ..., "email": ...,
    # "active": true}); for "create" the account's own values.
    values: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    requested_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = created_col()
    decided_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PasswordToken(Base):
    """A single-use link that lets one person choose their own password (a welcome after
    approval, or a reset); only the SHA-256 of its secret is stored."""

    __tablename__ = "password_token"

    id: Mapped[str] = uuid_pk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "welcome" or "reset"
    created_at: Mapped[datetime] = created_col()
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
