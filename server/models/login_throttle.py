"""Shared counters of sign-in attempts (the embedded store of ``server.auth.throttle``)."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base


class LoginThrottle(Base):
    """One throttled key (an address, an account, an address+account pair), kept in the
    database so that every gunicorn worker and every instance counts the same attempts.

    ``tat`` is the key's *theoretical arrival time* (GCRA, epoch seconds): the key is free
    when it lies in the past, and how far it lies in the future says how much of the key's
    allowance is used up. The key itself is an HMAC: no address or e-mail is stored.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    tat: Mapped[float] = mapped_column(Float)
