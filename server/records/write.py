"""The one write path: every change of a record, whether a REST call or a pushed mutation.

    REST route ─ records.py: the body, loaded by the route's schema, becomes a Mutation
                 stamped by the server's clock (client "server", the signed-in user) ─┐
    sync push ── push.py: envelope, idempotence, savepoint per mutation ──────────────┤
                                                                                      ▼
    apply():  access (the record's rule, or its parent's for a create) → writer role →
              schema → references → merge field by field (sync/policy.py) with per-field
              clocks → derived columns (on_create) → process rules (check) → audit entry

So field clocks, conflicts, rules and audit are the same whichever way a change arrives.
The caller owns the transaction: it commits (REST) or wraps each call in a savepoint (push).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import g, has_request_context
from marshmallow import ValidationError

from server.errors import ApiError
from server.extensions import db
from server.models import User
from server.models._common import utcnow
from server.records.batch import Batch
from server.records.kind import Kind, schema_instance
from server.records.references import check_references
from server.sync.conflicts import keep_conflict
from sync.clock import Clock, Stamp
from sync.policy import Edit, FieldMeta, decide

# The client id of changes made by the server: REST calls and the effects of rules. Never a
# device's (devices send UUIDs), so the merge never takes them for a device's own edits.
SERVER_CLIENT = "server"
# The server's hybrid logical clock. Per process: stamps of two workers may tie, which only
# decides between two server-made values (REST edits are sequential: see ``rest_mutation``).
SERVER_CLOCK = Clock(SERVER_CLIENT)
OPS = ("create", "upsert", "delete", "restore")  # "create" (REST POST) refuses an existing id


@dataclass(frozen=True)
class Mutation:
    """One change of one record."""

    record_id: str
    op: str
    fields: dict[str, Any]
    base_version: int | None  # the version the author last saw (None: never saw the record)
    stamp: Stamp
    client_id: str
    loaded: bool = False  # REST: the route already loaded ``fields`` with the kind's schema

    @property
    def via(self) -> str:
        return "rest" if self.client_id == SERVER_CLIENT else "sync"


@dataclass
class Outcome:
    """What happened to the record."""

    status: str  # "applied" or "merged"
    record: Any  # its version is read once the whole batch is written
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)


def rest_mutation(
    record_id: str, op: str, data: dict[str, Any], base_version: int | None = None
) -> Mutation:
    """A REST change as a mutation. The caller has just read the record, so the change is
    sequential (``base_version`` = the version it read): it applies, as a REST call should,
    and the value it replaces is no conflict."""
    return Mutation(
        record_id=record_id,
        op=op,
        fields=data,
        base_version=base_version,
        stamp=SERVER_CLOCK.tick(),
        client_id=SERVER_CLIENT,
        loaded=True,
    )


def check_writer(kind: Kind, user: User) -> None:
    """Refuse a write by a role that may not write this kind."""
    if user.role not in kind.writer_roles:
        raise ApiError(403, "Your role may not change this.", "forbidden")


def apply(kind: Kind, user: User, m: Mutation, batch: Batch) -> Outcome:
    """Create, change, delete or restore the record ``m`` names, or raise ApiError /
    ValidationError having changed nothing the caller's savepoint does not undo."""
    obj = batch.record(kind, m.record_id)
    if obj is None:
        if m.op not in ("create", "upsert"):
            raise ApiError(404, "Not found.", "not_found")
        return _create(kind, user, m, batch)
    if not batch.may_read(kind, obj):  # a record you may not read does not exist for you
        raise ApiError(404, "Not found.", "not_found")
    if m.op == "create":
        raise ApiError(409, "A record with this id exists already.", "id_taken")
    check_writer(kind, user)
    if m.op == "delete":
        return _delete(kind, obj, m, batch)
    return _update(kind, user, obj, m, batch)


def _create(kind: Kind, user: User, m: Mutation, batch: Batch) -> Outcome:
    if not kind.creatable:
        raise ApiError(403, "Only the server makes these records.", "forbidden")
    check_writer(kind, user)
    loaded = (
        m.fields if m.loaded else schema_instance(kind.schema).load({**m.fields, "id": m.record_id})
    )
    data = {name: value for name, value in loaded.items() if name != "id"}
    parent_id = data.get(kind.parent_field)
    if parent_id is None:
        raise ValidationError({kind.parent_field: ["Missing data for required field."]})
    parent = batch.parent(kind, str(parent_id))
    check_references(kind, data, batch)
    obj = kind.model(id=m.record_id, version=1, **data)
    if kind.on_create:
        kind.on_create(obj, parent, user)
    meta = _meta(m.stamp, 1, user.id, m.client_id)
    obj.field_clocks = {name: meta for name in data}
    db.session.add(obj)
    if kind.check:
        kind.check(obj, set(data) | {"id"}, {})
    batch.note("create", kind, obj, m.via)
    if batch.flushes(kind):
        db.session.flush()
    batch.created(kind, obj)
    return Outcome("applied", obj, changed=set(data))


def _delete(kind: Kind, obj: Any, m: Mutation, batch: Batch) -> Outcome:
    if obj.deleted_at is not None:  # deleting twice is the same as deleting once
        return Outcome("applied", obj)
    before = {name: getattr(obj, name) for name in kind.before_fields}
    obj.deleted_at = utcnow()
    if kind.check:
        kind.check(obj, {"deleted_at"}, before)
    batch.note("delete", kind, obj, m.via)
    if batch.flushes(kind):
        db.session.flush()
    return Outcome("applied", obj, changed={"deleted_at"})


def _update(kind: Kind, user: User, obj: Any, m: Mutation, batch: Batch) -> Outcome:
    data = (
        m.fields
        if m.loaded
        else schema_instance(kind.schema, partial=True, exclude=("id",)).load(m.fields)
    )
    fixed = [name for name in kind.fixed if name in data and data[name] != getattr(obj, name)]
    if fixed:
        raise ValidationError({name: ["Cannot be changed after creation."] for name in fixed})
    check_references(kind, data, batch, current=obj)
    restoring = m.op == "restore" and obj.deleted_at is not None
    before = {name: getattr(obj, name) for name in kind.before_fields}
    current = {name: getattr(obj, name) for name in data}
    metas = {name: FieldMeta.from_json(obj.field_clocks.get(name)) for name in data}
    others_changed = _changed_by_others(obj.field_clocks, m)
    edit = Edit(
        fields=data,
        stamp=m.stamp,
        base_version=m.base_version,
        user_id=user.id,
        client_id=m.client_id,
    )
    decision = decide(
        current, metas, obj.deleted_at is not None and not restoring, edit, (obj.version or 0) + 1
    )
    changed = {name for name, value in decision.apply.items() if current[name] != value}
    for name, value in decision.apply.items():
        setattr(obj, name, value)
    if restoring:
        obj.deleted_at = None
        changed.add("deleted_at")
    if decision.meta:
        obj.field_clocks = {
            **obj.field_clocks,
            **{name: meta.to_json() for name, meta in decision.meta.items()},
        }
    if kind.check and changed:
        kind.check(obj, changed, before)
    # A value set by the system (no user) has nobody to tell; every user's value is kept.
    conflicts = [keep_conflict(kind, obj, c) for c in decision.conflicts if c.user_id]
    if changed:
        batch.note("update", kind, obj, f"{m.via}:{','.join(sorted(changed))}")
    if batch.flushes(kind):
        db.session.flush()
    # "merged": someone else had changed the record since its author last saw it, and both
    # changes stand (field by field) or the losing values were kept as conflicts.
    status = "merged" if decision.concurrent or conflicts or others_changed else "applied"
    return Outcome(status, obj, conflicts, changed)


def _changed_by_others(clocks: dict[str, Any], m: Mutation) -> bool:
    """True when a field was changed by another device after the version the author saw."""
    seen = m.base_version or 0
    return any(
        meta is not None and meta.version > seen and meta.client_id != m.client_id
        for meta in (FieldMeta.from_json(value) for value in clocks.values())
    )


def _meta(stamp: Stamp, version: int, user_id: str, client_id: str) -> dict[str, Any]:
    return FieldMeta(str(stamp), version, user_id, client_id).to_json()


def stamp_server_changes(obj: Any, names: list[str]) -> None:
    """Per-field clocks for fields the server changed itself, outside a mutation: the
    effects of a rule (a course closed by finishing its last meeting), a guardian's answer
    on the parents' pages. Stamped by the server's clock for the request's user (or nobody),
    so a later concurrent edit is merged against them like against any other edit.
    Called by the change log (sync/changelog.py) just before the change is written."""
    user = g.get("user") if has_request_context() else None
    meta = _meta(
        SERVER_CLOCK.tick(),
        (obj.version or 0) + 1,
        user.id if user is not None else "",
        SERVER_CLIENT,
    )
    obj.field_clocks = {**(obj.field_clocks or {}), **{name: meta for name in names}}
