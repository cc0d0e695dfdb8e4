"""The keys that open what a tablet stores (issue 23): one per person and device."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime, created_col, uuid_pk


class DeviceKey(Base):
    """The wrapping key of one device profile for one person.

    The tablet keeps its data key encrypted under this key and holds this key only in
    memory, after asking for it in a signed-in session: without the server's answer (or the
    person's PIN on that tablet) what the tablet stores cannot be read. ``closed_at`` set:
    the key is refused from then on (signed out there, or closed by an admin).
    """

    __tablename__ = "device_key"
    __table_args__ = (UniqueConstraint("user_id", "device_id"),)

    id: Mapped[str] = uuid_pk()
    user_id: Mapped[str] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # Chosen by the tablet (a random UUID per browser profile): names the device, proves nothing.
    device_id: Mapped[str] = mapped_column(String(36))
    key: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = created_col()
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Null with closed_at set: the person signed out there; else the admin who closed it.
    closed_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
