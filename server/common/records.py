"""Create, read, update and soft-delete records of any Kind, with access checks and audit.

The REST routes call these; sync pushes use the same access and rule hooks.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from server import audit
from server.common.kinds import Kind
from server.errors import ApiError
from server.extensions import db
from server.models import User
from server.models._common import utcnow


def check_writer(kind: Kind, user: User) -> None:
    """Refuse a write by a role that may not write this kind."""
    if user.role not in kind.writer_roles:
        raise ApiError(403, "Your role may not change this.", "forbidden")


def get_visible(kind: Kind, user: User, record_id: str) -> Any:
    """The record if it exists, is not deleted and the user may read its parent; else 404."""
    if kind.load_self is not None:
        return kind.load_self(user, record_id) if _is_uuid(record_id) else _not_found()
    obj = db.session.get(kind.model, record_id) if _is_uuid(record_id) else None
    if obj is None or obj.deleted_at is not None:
        raise ApiError(404, "Not found.", "not_found")
    kind.load_parent(user, getattr(obj, kind.parent_field))
    return obj


def list_for_parent(kind: Kind, user: User, parent_id: str) -> list[Any]:
    """The parent's live records of this kind (404 when the parent is not visible)."""
    parent = kind.load_parent(user, parent_id)
    rows = db.session.scalars(
        select(kind.model).where(
            getattr(kind.model, kind.parent_field) == parent_id,
            kind.model.deleted_at.is_(None),
        )
    )
    result = list(rows)
    audit.record("list", kind.name, parent_id, kind.parent_child_id(parent))
    db.session.commit()
    return result


def create(kind: Kind, user: User, data: dict[str, Any]) -> Any:
    """Create a record from loaded schema data after checking access to its parent."""
    check_writer(kind, user)
    parent = kind.load_parent(user, data[kind.parent_field])
    record_id = str(data.pop("id", None) or uuid.uuid4())
    if db.session.get(kind.model, record_id) is not None:
        raise ApiError(409, "A record with this id exists already.", "id_taken")
    obj = kind.model(id=record_id, **data)
    if kind.on_create:
        kind.on_create(obj, parent, user)
    db.session.add(obj)
    if kind.check:
        kind.check(obj, set(data) | {"id"}, {})
    audit.record("create", kind.name, obj.id, kind.child_id_of(obj))
    db.session.commit()
    return obj


def update(kind: Kind, user: User, obj: Any, data: dict[str, Any]) -> Any:
    """Apply a partial change, run the rules, commit."""
    check_writer(kind, user)
    before = {name: getattr(obj, name) for name in kind.before_fields}
    changed = {name for name, value in data.items() if getattr(obj, name) != value}
    for name in changed:
        setattr(obj, name, data[name])
    if kind.check:
        kind.check(obj, changed, before)
    audit.record("update", kind.name, obj.id, kind.child_id_of(obj), ",".join(sorted(changed)))
    db.session.commit()
    return obj


def soft_delete(kind: Kind, user: User, obj: Any) -> None:
    """Mark the record deleted (kept for sync and restore), run the rules, commit."""
    check_writer(kind, user)
    obj.deleted_at = utcnow()
    if kind.check:
        kind.check(obj, {"deleted_at"}, {name: getattr(obj, name) for name in kind.before_fields})
    audit.record("delete", kind.name, obj.id, kind.child_id_of(obj))
    db.session.commit()


def read(kind: Kind, obj: Any) -> Any:
    """Record a read of one record and hand it back."""
    audit.record("read", kind.name, obj.id, kind.child_id_of(obj))
    db.session.commit()
    return obj


def _not_found() -> Any:
    raise ApiError(404, "Not found.", "not_found")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
