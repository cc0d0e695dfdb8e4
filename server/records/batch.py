"""What one request learns once and reuses for every change it makes.

A sync push applies up to 500 mutations; a REST call applies one. Both go through the write
path with a ``Batch``: records loaded (and locked) in one query per kind, the access
decisions (which cannot change during the request), references known to exist, and the
audit entries to write once the outcome of each change is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from server import access, audit
from server.extensions import db
from server.models import User
from server.records.kind import Kind
from sync.sql import among


@dataclass
class Batch:
    """Caches of one request; ``fast`` lets simple creates skip their savepoint (push)."""

    user: User
    fast: bool = False
    records: dict[tuple[str, str], Any] = field(default_factory=dict)
    missing: set[tuple[str, str]] = field(default_factory=set)
    readable: set[tuple[str, str]] = field(default_factory=set)
    parents: dict[tuple[str, str], Any] = field(default_factory=dict)
    # (table name, id) of rows a reference may point at: checked, or created in this batch.
    known: set[tuple[str, str]] = field(default_factory=set)
    audit: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def can_skip_savepoint(self, kind: Kind) -> bool:
        """A kind no process rule looks at: every check runs before the record is touched,
        so in a push it may be inserted with the others at the end (see sync/push.py)."""
        return self.fast and kind.check is None

    def flushes(self, kind: Kind) -> bool:
        """Whether a change is written at once (in its savepoint) or with the batch."""
        return not self.can_skip_savepoint(kind)

    def preload(self, kind: Kind, ids: list[str]) -> None:
        """Load (and lock) the batch's records of one kind, and learn which of them the user
        may read (the kind's rule in server/access.py), in two queries."""
        found = db.session.scalars(
            select(kind.model).where(among(db.session(), kind.model.id, ids)).with_for_update()
        ).all()
        for obj in found:
            self.records[(kind.name, obj.id)] = obj
        self.missing.update((kind.name, i) for i in ids if (kind.name, i) not in self.records)
        if found:
            readable = db.session.scalars(
                select(kind.model.id).where(
                    kind.model.id.in_([obj.id for obj in found]),
                    access.clause(kind.model, self.user),
                )
            )
            self.readable.update((kind.name, record_id) for record_id in readable)

    def seed(self, kind: Kind, obj: Any) -> None:
        """A record the caller has just read through its rule (a REST item route)."""
        self.records[(kind.name, obj.id)] = obj
        self.readable.add((kind.name, obj.id))

    def record(self, kind: Kind, record_id: str) -> Any:
        """The record with this id (deleted or not, readable or not), or None."""
        key = (kind.name, record_id)
        if key in self.records:
            return self.records[key]
        if key in self.missing:
            return None
        obj = db.session.get(kind.model, record_id, with_for_update=True)
        if obj is not None:
            self.records[key] = obj
        return obj

    def may_read(self, kind: Kind, obj: Any) -> bool:
        """Whether the user may read (and so, with a writer role, change) this record."""
        key = (kind.name, obj.id)
        if key not in self.readable:
            found = db.session.scalar(
                select(kind.model.id).where(
                    kind.model.id == obj.id, access.clause(kind.model, self.user)
                )
            )
            if found is None:
                return False
            self.readable.add(key)
        return True

    def parent(self, kind: Kind, parent_id: str) -> Any:
        """The parent if the user may read it (else the loader's 404), asked once per batch."""
        key = (kind.parent_field, parent_id)
        if key not in self.parents:
            self.parents[key] = kind.load_parent(self.user, parent_id)
        return self.parents[key]

    def created(self, kind: Kind, obj: Any) -> None:
        """A record made in this batch: later mutations find it, and may refer to it."""
        key = (kind.name, obj.id)
        self.records[key] = obj
        self.missing.discard(key)
        self.readable.add(key)
        self.known.add((kind.model.__tablename__, obj.id))

    def note(self, action: str, kind: Kind, obj: Any, detail: str) -> None:
        """An audit entry, written with ``write_audit`` once the change stands."""
        self.audit.append((action, kind.name, obj.id, kind.child_id_of(obj), detail))

    def write_audit(self) -> None:
        audit.record_many(self.audit)
        self.audit.clear()
