"""REST on records of any Kind: reads and lists by the access rules, writes by the write path.

Reads and lists use the record's rule in ``server/access.py`` (a list shows exactly the
records its item route would). A write becomes a mutation stamped by the server and goes
through ``server/records/write.py``, the same code as a pushed mutation.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from server import access, audit
from server.extensions import db
from server.models import User
from server.records import write
from server.records.batch import Batch
from server.records.kind import Kind


def get_visible(kind: Kind, user: User, record_id: str) -> Any:
    """The record if it exists, is not deleted and the user may read it; else 404."""
    return access.get_visible(kind.model, user, record_id)


def list_for_parent(kind: Kind, user: User, parent_id: str) -> list[Any]:
    """The parent's live records of this kind that the user may read (404 when the parent is
    not readable); one audit entry per child whose data is shown."""
    parent = kind.load_parent(user, parent_id)
    model = kind.model
    rows = list(
        db.session.scalars(
            select(model)
            .where(
                getattr(model, kind.parent_field) == parent_id,
                model.deleted_at.is_(None),
                access.clause(model, user),
            )
            .order_by(model.created_at, model.id)
        )
    )
    children = {kind.child_id_of(row) for row in rows} or {kind.parent_child_id(parent)}
    for child_id in sorted(children - {""}):
        audit.record("list", kind.name, parent_id, child_id)
    db.session.commit()
    return rows


def create(kind: Kind, user: User, data: dict[str, Any]) -> Any:
    """Create a record from the route's loaded body (the id may be the client's)."""
    fields = dict(data)
    record_id = str(fields.pop("id", None) or uuid.uuid4())
    return _write(kind, user, write.rest_mutation(record_id, "create", fields), Batch(user))


def update(kind: Kind, user: User, record_id: str, data: dict[str, Any]) -> Any:
    """Change some fields of a record the user may read."""
    obj = get_visible(kind, user, record_id)
    batch = Batch(user)
    batch.seed(kind, obj)
    outcome = write.apply(
        kind, user, write.rest_mutation(obj.id, "upsert", data, obj.version), batch
    )
    if not outcome.changed:  # nothing written, but the answer shows the record: a read
        batch.note("read", kind, obj, "")
    batch.write_audit()
    db.session.commit()
    return outcome.record


def soft_delete(kind: Kind, user: User, record_id: str) -> None:
    """Mark the record deleted (kept for sync and restore)."""
    obj = get_visible(kind, user, record_id)
    batch = Batch(user)
    batch.seed(kind, obj)
    _write(kind, user, write.rest_mutation(obj.id, "delete", {}, obj.version), batch)


def read(kind: Kind, obj: Any) -> Any:
    """Record a read of one record and hand it back."""
    audit.record("read", kind.name, obj.id, kind.child_id_of(obj))
    db.session.commit()
    return obj


def _write(kind: Kind, user: User, mutation: write.Mutation, batch: Batch) -> Any:
    outcome = write.apply(kind, user, mutation, batch)
    batch.write_audit()
    db.session.commit()
    return outcome.record
