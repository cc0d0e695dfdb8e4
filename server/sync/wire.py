"""Records on the wire: ``{"entity", "id", "version", "scope", "fields", "deleted"}``.

A record's fields are what its REST schema dumps, and marshmallow makes every record that a
pull does not find kept as its document (``server/sync/documents.py``: PostgreSQL writes the
JSON of plain kinds at each change, and a pull sends that text as it is). The two are one
format: ``tests/server/test_sync_documents.py`` compares every kind's documents with this
dump, and ``tests/server/test_sync_wire.py`` every kind's pulled records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Every synced kind by wire name is server/kinds.py's; the sync routes import it from here.
from server.kinds import KINDS as KINDS
from server.records.kind import Kind, schema_instance

# Dumped fields that the envelope carries (or leaves out), never among ``fields``.
META = ("id", "version", "created_at", "updated_at", "deleted")


def to_wire_many(kind: Kind, objs: Sequence[Any]) -> list[dict[str, Any]]:
    """Records as pull sends them: their fields as the REST schema dumps them."""
    dumped: list[dict[str, Any]] = schema_instance(kind.schema).dump(objs, many=True)
    return [
        {
            "entity": kind.name,
            "id": obj.id,
            "version": obj.version,
            "scope": obj.scope,
            "deleted": obj.deleted_at is not None,
            "updated_at": fields.get("updated_at"),
            "fields": {k: v for k, v in fields.items() if k not in META},
        }
        for obj, fields in zip(objs, dumped, strict=True)
    ]
