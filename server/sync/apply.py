"""Applying one pushed mutation to one record, with the same schemas, access checks and
process rules as the REST API, and the field-level conflict policy of ``sync.policy``.

Runs inside a savepoint opened by the caller; any ApiError or ValidationError raised here
rejects this mutation only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError

from server import audit
from server.common.kinds import Kind
from server.common.records import check_writer
from server.errors import ApiError
from server.extensions import db
from server.models import SyncConflict, User
from server.models._common import utcnow
from sync.clock import Stamp
from sync.policy import Conflict, Edit, FieldMeta, decide


@dataclass
class Outcome:
    """What happened to the record."""

    status: str  # "applied" or "merged"
    version: int
    conflicts: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Mutation:
    """A validated mutation envelope."""

    id: str
    entity: str
    record_id: str
    op: str  # "upsert", "delete" or "restore"
    fields: dict[str, Any]
    base_version: int | None
    stamp: Stamp
    client_id: str


def apply_mutation(kind: Kind, user: User, m: Mutation) -> Outcome:
    """Create, change, delete or restore the record ``m`` names."""
    obj = db.session.get(kind.model, m.record_id, with_for_update=True)
    if obj is None:
        if m.op != "upsert":
            raise ApiError(404, "Not found.", "not_found")
        return _create(kind, user, m)
    kind.load_parent(user, getattr(obj, kind.parent_field))  # 404 when not readable
    check_writer(kind, user)
    if m.op == "delete":
        return _delete(kind, obj)
    return _update(kind, user, obj, m)


def _create(kind: Kind, user: User, m: Mutation) -> Outcome:
    check_writer(kind, user)
    data = kind.schema().load({**m.fields, "id": m.record_id})
    data.pop("id", None)
    parent = kind.load_parent(user, data[kind.parent_field])
    obj = kind.model(id=m.record_id, **data)
    if kind.on_create:
        kind.on_create(obj, parent, user)
    meta = FieldMeta(str(m.stamp), 1, user.id, m.client_id).to_json()
    obj.field_clocks = {name: meta for name in data}
    db.session.add(obj)
    if kind.check:
        kind.check(obj, set(data) | {"id"}, {})
    audit.record("create", kind.name, obj.id, kind.child_id_of(obj), "sync")
    db.session.flush()
    return Outcome("applied", obj.version)


def _delete(kind: Kind, obj: Any) -> Outcome:
    if obj.deleted_at is None:  # deleting twice is the same as deleting once
        before = {name: getattr(obj, name) for name in kind.before_fields}
        obj.deleted_at = utcnow()
        if kind.check:
            kind.check(obj, {"deleted_at"}, before)
        audit.record("delete", kind.name, obj.id, kind.child_id_of(obj), "sync")
        db.session.flush()
    return Outcome("applied", obj.version)


def _update(kind: Kind, user: User, obj: Any, m: Mutation) -> Outcome:
    updater = kind.schema(partial=True, exclude=("id",))
    data = updater.load(m.fields)
    fixed = [name for name in kind.fixed if name in data and data[name] != getattr(obj, name)]
    if fixed:
        raise ValidationError({name: ["Cannot be changed after creation."] for name in fixed})
    restoring = m.op == "restore" and obj.deleted_at is not None
    before = {name: getattr(obj, name) for name in kind.before_fields}
    metas = {name: FieldMeta.from_json(obj.field_clocks.get(name)) for name in data}
    edit = Edit(fields=data, stamp=m.stamp, base_version=m.base_version,
                user_id=user.id, client_id=m.client_id)
    current = {name: getattr(obj, name) for name in data}
    seen_version = obj.version
    decision = decide(current, metas, obj.deleted_at is not None and not restoring, edit,
                      obj.version + 1)
    changed = {name for name, value in decision.apply.items() if current[name] != value}
    for name, value in decision.apply.items():
        setattr(obj, name, value)
    if restoring:
        obj.deleted_at = None
        changed.add("deleted_at")
    if decision.meta:
        clocks = dict(obj.field_clocks)
        clocks.update({name: meta.to_json() for name, meta in decision.meta.items()})
        obj.field_clocks = clocks
    if kind.check and changed:
        kind.check(obj, changed, before)
    # A value set by the system (no user) has nobody to tell; every user's value is kept.
    conflicts = [_keep(kind, obj, c) for c in decision.conflicts if c.user_id]
    if changed:
        audit.record("update", kind.name, obj.id, kind.child_id_of(obj),
                     "sync:" + ",".join(sorted(changed)))
    db.session.flush()
    # "merged": the record had changed since its author last saw it, and both changes stand
    # (field by field) or the losing values were kept as conflicts.
    changed_since = m.base_version is None or seen_version > m.base_version
    status = "merged" if decision.concurrent or conflicts or changed_since else "applied"
    return Outcome(status, obj.version, conflicts)


def _keep(kind: Kind, obj: Any, conflict: Conflict) -> dict[str, Any]:
    """Store a losing value as a conflict record for its author; describe it for the answer."""
    value = _json_value(kind, conflict.field, conflict.value)
    winning = _json_value(kind, conflict.field, conflict.winning_value)
    row = SyncConflict(
        user_id=conflict.user_id, client_id=conflict.client_id, entity=kind.name,
        record_id=obj.id, course_id=getattr(obj, "course_id", None), field=conflict.field,
        value=value, clock=conflict.clock, winning_value=winning, kind=conflict.kind,
    )
    db.session.add(row)
    db.session.flush()
    return {"id": row.id, "field": conflict.field, "value": value, "winning_value": winning,
            "kind": conflict.kind, "user_id": conflict.user_id}


def _json_value(kind: Kind, name: str, value: Any) -> Any:
    """A field's value as the API writes it (dates as ISO strings and so on)."""
    dumped: dict[str, Any] = kind.schema(only=(name,)).dump({name: value})
    return dumped.get(name)
