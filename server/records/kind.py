"""What the API and the sync engine need to know about each record type.

A ``Kind`` ties a model to its schema, its parent (the record under which it is created) and
its rules. The REST routes and the sync registry are both built from these, and both write
through the one write path (``server/records/write.py``), so a change is validated,
access-checked and merged the same way whichever way it arrives. Who may read a record is
not described here: ``server/access.py`` states it once per model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from marshmallow import Schema

from server.models import User


@dataclass(frozen=True)
class Kind:
    """One record type of the API."""

    name: str  # wire name, e.g. "board_note"
    model: type[Any]
    schema: type[Schema]
    parent_field: str  # e.g. "meeting_id"
    # The parent if this user may read it (else a 404 ApiError): where records are created
    # and listed. Changing an existing record needs the record's own rule (server/access.py).
    load_parent: Callable[[User, str], Any]
    child_id_of: Callable[[Any], str]  # whose child's data this is, for the audit log
    parent_child_id: Callable[[Any], str]  # the same, from the parent record
    writer_roles: tuple[str, ...] = ("family_unit", "educator", "psychologist")
    # False for records only the server makes (conflicts): a client may change, not create.
    creatable: bool = True
    # Fills derived columns (e.g. course_id from the meeting) when a record is created.
    on_create: Callable[[Any, Any, User], None] | None = None
    # Process rules, run after every change: (record, changed field names, state before).
    check: Callable[[Any, set[str], dict[str, Any]], None] | None = None
    # Fields that may not change after creation (moving a record to another parent).
    fixed: tuple[str, ...] = field(default=())
    # Fields captured before a change so ``check`` can see the transition.
    before_fields: tuple[str, ...] = field(default=())


@cache
def schema_instance(
    cls: type[Schema],
    partial: bool = False,
    exclude: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
) -> Schema:
    """One reusable instance per schema variant: building a marshmallow schema deep-copies
    every field, which costs more than loading or dumping a record with it."""
    return cls(partial=partial, exclude=exclude, only=only)
