"""Records on the wire: ``{"entity", "id", "version", "scope", "fields", "deleted"}``."""

from __future__ import annotations

from typing import Any

from server.common.kinds import Kind
from server.kinds import ALL_KINDS
from server.sync.conflicts import CONFLICT

# Every record kind that travels through sync, by wire name.
KINDS: dict[str, Kind] = {kind.name: kind for kind in (*ALL_KINDS, CONFLICT)}
_META = ("id", "version", "created_at", "updated_at", "deleted")


def to_wire(kind: Kind, obj: Any) -> dict[str, Any]:
    """A record as pull sends it: its fields as the REST schema dumps them."""
    dumped: dict[str, Any] = kind.schema().dump(obj)
    return {
        "entity": kind.name,
        "id": obj.id,
        "version": obj.version,
        "scope": obj.scope,
        "deleted": obj.deleted_at is not None,
        "updated_at": dumped.get("updated_at"),
        "fields": {k: v for k, v in dumped.items() if k not in _META},
    }
