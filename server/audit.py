"""Recording reads and writes of a child's data in the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context
from sqlalchemy import Table, insert

from server.extensions import db
from server.models import AuditEntry
from server.models._common import utcnow

AUDIT_TABLE: Table = AuditEntry.__table__  # type: ignore[assignment] # a Table, typed FromClause
# A name the API accepts at its limit, with " (mor)" or a role after it, is longer than the
# column: PostgreSQL refuses it (a 500 on the read being logged), SQLite kept it whole.
_NAME_MAX = int(getattr(AUDIT_TABLE.c.actor_name.type, "length", 200))  # String(200)


def actor_name_fit(name: str) -> str:
    """The actor's name as the audit log's column holds it."""
    return name[:_NAME_MAX]


def record(
    action: str, entity: str, record_id: str | None, child_id: str | None, detail: str = ""
) -> None:
    """Add an audit entry for the current actor; it commits with the request's transaction."""
    user = g.get("user") if has_request_context() else None
    db.session.add(
        AuditEntry(
            actor_type="user" if user is not None else "system",
            actor_id=user.id if user is not None else None,
            actor_name=(
                actor_name_fit(f"{user.name} ({user.role})") if user is not None else "system"
            ),
            action=action,
            entity=entity,
            record_id=record_id,
            child_id=child_id,
            detail=detail[:500],
        )
    )


def record_many(entries: Iterable[tuple[str, str, str | None, str | None, str]]) -> None:
    """Audit entries (action, entity, record id, child id, detail) for the current actor, in
    one statement: a sync push writes one per record it changes, up to 500."""
    user = g.get("user") if has_request_context() else None
    actor: dict[str, Any] = {
        "actor_type": "user" if user is not None else "system",
        "actor_id": user.id if user is not None else None,
        "actor_name": (
            actor_name_fit(f"{user.name} ({user.role})") if user is not None else "system"
        ),
    }
    now = utcnow()
    rows = [
        {
            **actor,
            "at": now,
            "action": action,
            "entity": entity,
            "record_id": record_id,
            "child_id": child_id,
            "detail": detail[:500],
        }
        for action, entity, record_id, child_id, detail in entries
    ]
    if rows:  # Core, not the ORM's bulk insert: no objects are wanted back
        db.session.execute(insert(AUDIT_TABLE), rows)


def record_guardian(
    guardian_id: str,
    guardian_name: str,
    action: str,
    entity: str,
    record_id: str | None,
    child_id: str,
) -> None:
    """Add an audit entry for a guardian reading their own child's report. Written at once
    (Core: every report view writes one, and no object is wanted back)."""
    db.session.execute(
        insert(AUDIT_TABLE).values(
            at=utcnow(),
            actor_type="guardian",
            actor_id=guardian_id,
            actor_name=actor_name_fit(guardian_name),
            action=action,
            entity=entity,
            record_id=record_id,
            child_id=child_id,
        )
    )
