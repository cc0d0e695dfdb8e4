"""The columns every synced record carries.

Ids are made by the client (a tablet creates records offline), so the server never
assigns them. `version` grows with every change of the record; `field_clocks` remembers,
per field, the hybrid-logical-clock stamp of the edit that set the current value, which is
what field-level merging compares.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from sync.types import UtcDateTime, utcnow


def new_id() -> str:
    """A random UUID string, for records made on the server."""
    return str(uuid.uuid4())


class SyncRecord:
    """Mixin for models that devices edit offline and sync.

    Each model also has a ``scope`` property (e.g. ``"course:<id>"``): the unit in which
    records travel to devices and in which access is granted and withdrawn. It is not
    declared here, so that a model's own base classes can provide it.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    @declared_attr
    def field_clocks(cls) -> Mapped[dict[str, Any]]:
        return mapped_column(JSON, default=dict, nullable=False)

    @property
    def deleted(self) -> bool:
        """Soft-deleted records stay in the database so every device learns of the delete."""
        return self.deleted_at is not None
