"""Conflicts as a synced record kind: their author's devices receive them and mark them resolved."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from server.common.kinds import Kind
from server.common.schemas import RecordSchema, text
from server.errors import ApiError
from server.extensions import db
from server.models import Course, SyncConflict, User


class ConflictSchema(RecordSchema):
    """A value that lost; only ``resolved`` can be changed, by its author."""

    user_id = fields.String(dump_only=True)
    client_id = fields.String(dump_only=True)
    entity = fields.String(dump_only=True)
    record_id = fields.String(dump_only=True)
    course_id = fields.String(dump_only=True)
    field = fields.String(dump_only=True)
    value = fields.Raw(dump_only=True)
    clock = text(100, dump_only=True)
    winning_value = fields.Raw(dump_only=True)
    kind = fields.String(dump_only=True)
    resolved = fields.Boolean()


def _own(user: User, user_id: str) -> User:
    if user_id != user.id:
        raise ApiError(404, "Not found.", "not_found")
    return user


def _child_of(conflict: SyncConflict) -> str:
    course = db.session.get(Course, conflict.course_id) if conflict.course_id else None
    return course.child_id if course is not None else ""


def _no_create(_obj: Any, _parent: Any, _user: User) -> None:
    raise ApiError(403, "Conflicts are made by the server only.", "forbidden")


CONFLICT = Kind(
    name="conflict", model=SyncConflict, schema=ConflictSchema, parent_field="user_id",
    load_parent=_own, child_id_of=_child_of, parent_child_id=lambda _u: "",
    writer_roles=("admin", "family_unit", "educator", "psychologist"),
    on_create=_no_create, fixed=("user_id",),
)
