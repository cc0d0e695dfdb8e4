"""Parents' access without passwords: single-use invitations that become phone sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime, created_col, uuid_pk


class GuardianInvitation(Base):
    """A link sent to one guardian; only the SHA-256 of its secret is stored."""

    __tablename__ = "guardian_invitation"

    id: Mapped[str] = uuid_pk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    guardian_id: Mapped[str] = mapped_column(ForeignKey("guardian.id"), index=True)
    created_at: Mapped[datetime] = created_col()
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The meeting whose new report the message was about: the link leads there, every time.
    # No foreign key: retention deletes meetings, and an invitation names one only as a way.
    meeting_id: Mapped[str | None] = mapped_column(String(36))


class GuardianSession(Base):
    """A phone a guardian opened an invitation on; staff can revoke it."""

    __tablename__ = "guardian_session"

    id: Mapped[str] = uuid_pk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    guardian_id: Mapped[str] = mapped_column(ForeignKey("guardian.id"), index=True)
    created_at: Mapped[datetime] = created_col()
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    # "link" (a personal link redeemed) or "mitid" (a MitID sign-in): with PARENT_OIDC_ISSUER
    # set only "mitid" sessions give access (server/parents/guardian_access.py).
    via: Mapped[str] = mapped_column(String(8), default="link", server_default="link")
