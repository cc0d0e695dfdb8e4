"""Staff users: admins, the family unit, educators and PPR psychologists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import Base
from server.identity.pending import used_callbacks
from server.models._common import UtcDateTime, created_col, uuid_pk
from server.models.institution import Institution


class User(Base):
    """A member of staff who signs in with e-mail and password, or through the
    municipality's identity provider (issue 20)."""

    __tablename__ = "user_account"
    # One account per person at one provider: the provider's subject is unique only within
    # its issuer (OpenID Connect Core 2, "sub").
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_user_account_oidc"),)

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
    # Who the municipality's identity provider says this is (server/auth/oidc_routes.py):
    # set at the first sign-in through it, None for a local account.
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))

    # How parents reach a course leader (issue 21): on every page, letter and PDF about a
    # course they lead. Set by the person themself or an admin (server/users/contact.py); empty
    # until then, when parents are given the municipality's general phone. A server default
    # only: an INSERT that does not name them leaves them out, as the tests of older
    # migrations (run before these columns exist) do.
    work_phone: Mapped[str] = mapped_column(String(40), server_default="")
    work_email: Mapped[str] = mapped_column(String(254), server_default="")

    institution: Mapped[Institution | None] = relationship()


# The staff sign-in's replay guard (server/identity/pending.py's DatabaseReplayGuard) writes
# this table; it joins the models' metadata so that migration 0014 and the schema check
# (tests/server/test_setup.py) know it.
used_callbacks.to_metadata(Base.metadata)
