"""Conflicts: values that lost, kept for their author (PROTOCOL.md properties 4 and 5).

A synced record kind of its own: its author's devices receive it and mark it resolved.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields
from sqlalchemy import select

from server import access
from server.extensions import db
from server.models import Course, SyncConflict
from server.records.kind import Kind, schema_instance
from server.records.schemas import RecordSchema, text
from sync import new_id
from sync.policy import Conflict


class ConflictSchema(RecordSchema):
    """A value that lost; only ``resolved`` can be changed, by its author."""

    user_id = fields.String(dump_only=True)
    client_id = fields.String(dump_only=True)
    entity = fields.String(dump_only=True)
    record_id = fields.String(dump_only=True)
    course_id = fields.String(dump_only=True, allow_none=True)
    field = fields.String(dump_only=True)
    value = fields.Raw(dump_only=True, allow_none=True)
    clock = text(100, dump_only=True)
    winning_value = fields.Raw(dump_only=True, allow_none=True)
    kind = fields.String(dump_only=True)
    resolved = fields.Boolean()


def _child_of(conflict: SyncConflict) -> str:
    course = db.session.get(Course, conflict.course_id) if conflict.course_id else None
    return course.child_id if course is not None else ""


CONFLICT = Kind(
    name="conflict",
    model=SyncConflict,
    schema=ConflictSchema,
    parent_field="user_id",
    load_parent=access.own_conflicts,
    child_id_of=_child_of,
    parent_child_id=lambda _u: "",
    writer_roles=("admin", "family_unit", "educator", "psychologist"),
    creatable=False,
    fixed=("user_id",),
)


def keep_conflict(kind: Kind, obj: Any, conflict: Conflict) -> dict[str, Any]:
    """Store a losing value as a conflict record for its author; describe it for the answer."""
    row = SyncConflict(
        id=new_id(),
        user_id=conflict.user_id,
        client_id=conflict.client_id,
        entity=kind.name,
        record_id=obj.id,
        course_id=_course_id(obj),
        field=conflict.field,
        value=json_value(kind, conflict.field, conflict.value),
        clock=conflict.clock,
        winning_value=json_value(kind, conflict.field, conflict.winning_value),
        kind=conflict.kind,
    )
    db.session.add(row)
    return describe(row)


def describe(row: SyncConflict) -> dict[str, Any]:
    """A conflict as a push answer lists it."""
    return {
        "id": row.id,
        "field": row.field,
        "value": row.value,
        "winning_value": row.winning_value,
        "kind": row.kind,
        "user_id": row.user_id,
    }


def describe_stored(ids: list[str]) -> list[dict[str, Any]]:
    """The conflicts a stored answer names, rebuilt from their rows (the stored answer keeps
    only their ids, so that deleting the rows deletes the values). Conflicts deleted since
    (retention) are left out."""
    if not ids:
        return []
    rows = {
        row.id: row
        for row in db.session.scalars(
            select(SyncConflict).where(SyncConflict.id.in_(ids), SyncConflict.deleted_at.is_(None))
        )
    }
    return [describe(rows[i]) for i in ids if i in rows]


def _course_id(obj: Any) -> str | None:
    """The course a record belongs to (a course is its own), so that deleting the course
    deletes the values that lost on it."""
    scope = str(obj.scope)
    return scope.removeprefix("course:") if scope.startswith("course:") else None


def json_value(kind: Kind, name: str, value: Any) -> Any:
    """A field's value as the API writes it (dates as ISO strings and so on)."""
    dumped: dict[str, Any] = schema_instance(kind.schema, only=(name,)).dump({name: value})
    return dumped.get(name)
