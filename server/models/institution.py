"""Institutions: the daycares and schools whose staff raise a concern."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import created_col, uuid_pk


class Institution(Base):
    """A daycare (dagtilbud) or school."""

    __tablename__ = "institution"

    id: Mapped[str] = uuid_pk()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The id the municipality's identity provider names the institution by in
    # STAFF_INSTITUTION_CLAIM (an organisation UUID or an EAN number), set by an admin; staff
    # signing in through the provider are placed in the institution it matches.
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = created_col()
