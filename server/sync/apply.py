"""Applying one pushed mutation to one record, with the same schemas, access checks and
process rules as the REST API, and the field-level conflict policy of ``sync.policy``.

Runs inside a savepoint opened by the caller; any ApiError or ValidationError raised here
rejects this mutation only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from server.common.kinds import Kind, schema_instance
from server.common.records import check_writer
from server.errors import ApiError
from server.extensions import db
from server.models import SyncConflict, User
from server.models._common import utcnow
from sync import new_id
from sync.clock import Stamp
from sync.policy import Conflict, Edit, FieldMeta, decide


@dataclass
class Outcome:
    """What happened to the record."""

    status: str  # "applied" or "merged"
    record: Any  # its version is read once the whole batch is written
    conflicts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Batch:
    """What one push request learns once and reuses for all its mutations.

    The access decisions cannot change during the request, and loading every record of the
    batch in one query (locked for update) saves a round trip per mutation.
    """

    records: dict[tuple[str, str], Any] = field(default_factory=dict)
    missing: set[tuple[str, str]] = field(default_factory=set)
    parents: dict[tuple[str, str], Any] = field(default_factory=dict)
    audit: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    answered: list[tuple[dict[str, Any], Any]] = field(default_factory=list)
    # Fast mode: simple creates skip their savepoint and are inserted together at the end
    # (see server/sync/push.py, which falls back to one savepoint each if that fails).
    fast: bool = True

    def can_skip_savepoint(self, kind: Kind) -> bool:
        """A kind no process rule looks at: every check runs before the record is touched."""
        return self.fast and kind.check is None

    def flushes(self, kind: Kind) -> bool:
        """Whether a change is written at once (in its savepoint) or with the batch."""
        return not self.can_skip_savepoint(kind)

    def preload(self, kind: Kind, ids: list[str]) -> None:
        """Load (and lock) the batch's records of one kind."""
        found = db.session.scalars(
            select(kind.model).where(kind.model.id.in_(ids)).with_for_update()
        ).all()
        for obj in found:
            self.records[(kind.name, obj.id)] = obj
        self.missing.update((kind.name, i) for i in ids if (kind.name, i) not in self.records)

    def record(self, kind: Kind, record_id: str) -> Any:
        key = (kind.name, record_id)
        if key in self.records:
            return self.records[key]
        if key in self.missing:
            return None
        return db.session.get(kind.model, record_id, with_for_update=True)

    def parent(self, kind: Kind, user: User, parent_id: str) -> Any:
        """The parent if the user may read it (else the loader's 404), asked once per batch."""
        key = (kind.parent_field, parent_id)
        if key not in self.parents:
            self.parents[key] = kind.load_parent(user, parent_id)
        return self.parents[key]


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


def apply_mutation(kind: Kind, user: User, m: Mutation, batch: Batch) -> Outcome:
    """Create, change, delete or restore the record ``m`` names."""
    obj = batch.record(kind, m.record_id)
    if obj is None:
        if m.op != "upsert":
            raise ApiError(404, "Not found.", "not_found")
        return _create(kind, user, m, batch)
    batch.parent(kind, user, getattr(obj, kind.parent_field))  # 404 when not readable
    check_writer(kind, user)
    if m.op == "delete":
        return _delete(kind, obj, batch)
    return _update(kind, user, obj, m, batch)


def _create(kind: Kind, user: User, m: Mutation, batch: Batch) -> Outcome:
    check_writer(kind, user)
    data = schema_instance(kind.schema).load({**m.fields, "id": m.record_id})
    data.pop("id", None)
    parent = batch.parent(kind, user, data[kind.parent_field])
    obj = kind.model(id=m.record_id, version=1, **data)
    if kind.on_create:
        kind.on_create(obj, parent, user)
    meta = FieldMeta(str(m.stamp), 1, user.id, m.client_id).to_json()
    obj.field_clocks = {name: meta for name in data}
    db.session.add(obj)
    if kind.check:
        kind.check(obj, set(data) | {"id"}, {})
    batch.audit.append(("create", kind.name, obj.id, kind.child_id_of(obj), "sync"))
    if batch.flushes(kind):
        db.session.flush()
    batch.records[(kind.name, obj.id)] = obj
    batch.missing.discard((kind.name, obj.id))
    return Outcome("applied", obj)


def _delete(kind: Kind, obj: Any, batch: Batch) -> Outcome:
    if obj.deleted_at is None:  # deleting twice is the same as deleting once
        before = {name: getattr(obj, name) for name in kind.before_fields}
        obj.deleted_at = utcnow()
        if kind.check:
            kind.check(obj, {"deleted_at"}, before)
        batch.audit.append(("delete", kind.name, obj.id, kind.child_id_of(obj), "sync"))
        if batch.flushes(kind):
            db.session.flush()
    return Outcome("applied", obj)


def _update(kind: Kind, user: User, obj: Any, m: Mutation, batch: Batch) -> Outcome:
    data = schema_instance(kind.schema, partial=True, exclude=("id",)).load(m.fields)
    fixed = [name for name in kind.fixed if name in data and data[name] != getattr(obj, name)]
    if fixed:
        raise ValidationError({name: ["Cannot be changed after creation."] for name in fixed})
    restoring = m.op == "restore" and obj.deleted_at is not None
    before = {name: getattr(obj, name) for name in kind.before_fields}
    metas = {name: FieldMeta.from_json(obj.field_clocks.get(name)) for name in data}
    edit = Edit(fields=data, stamp=m.stamp, base_version=m.base_version,
                user_id=user.id, client_id=m.client_id)
    current = {name: getattr(obj, name) for name in data}
    others_changed = _changed_by_others(obj.field_clocks, m)
    decision = decide(current, metas, obj.deleted_at is not None and not restoring, edit,
                      (obj.version or 0) + 1)
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
        batch.audit.append(("update", kind.name, obj.id, kind.child_id_of(obj),
                            "sync:" + ",".join(sorted(changed))))
    if batch.flushes(kind):
        db.session.flush()
    # "merged": someone else had changed the record since its author last saw it, and both
    # changes stand (field by field) or the losing values were kept as conflicts.
    status = "merged" if decision.concurrent or conflicts or others_changed else "applied"
    return Outcome(status, obj, conflicts)


def _changed_by_others(clocks: dict[str, Any], m: Mutation) -> bool:
    """True when a field was changed by another device after the version the author saw."""
    seen = m.base_version or 0
    return any(
        meta is not None and meta.version > seen and meta.client_id != m.client_id
        for meta in (FieldMeta.from_json(value) for value in clocks.values())
    )


def _keep(kind: Kind, obj: Any, conflict: Conflict) -> dict[str, Any]:
    """Store a losing value as a conflict record for its author; describe it for the answer."""
    value = _json_value(kind, conflict.field, conflict.value)
    winning = _json_value(kind, conflict.field, conflict.winning_value)
    row = SyncConflict(
        id=new_id(), user_id=conflict.user_id, client_id=conflict.client_id, entity=kind.name,
        record_id=obj.id, course_id=getattr(obj, "course_id", None), field=conflict.field,
        value=value, clock=conflict.clock, winning_value=winning, kind=conflict.kind,
    )
    db.session.add(row)
    return {"id": row.id, "field": conflict.field, "value": value, "winning_value": winning,
            "kind": conflict.kind, "user_id": conflict.user_id}


def _json_value(kind: Kind, name: str, value: Any) -> Any:
    """A field's value as the API writes it (dates as ISO strings and so on)."""
    dumped: dict[str, Any] = schema_instance(kind.schema, only=(name,)).dump({name: value})
    return dumped.get(name)
