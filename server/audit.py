"""Recording reads and writes of a child's data in the audit log."""

from __future__ import annotations

from flask import g, has_request_context

from server.extensions import db
from server.models import AuditEntry


def record(action: str, entity: str, record_id: str | None, child_id: str | None,
           detail: str = "") -> None:
    """Add an audit entry for the current actor; it commits with the request's transaction."""
    user = g.get("user") if has_request_context() else None
    db.session.add(
        AuditEntry(
            actor_type="user" if user is not None else "system",
            actor_id=user.id if user is not None else None,
            actor_name=f"{user.name} ({user.role})" if user is not None else "system",
            action=action,
            entity=entity,
            record_id=record_id,
            child_id=child_id,
            detail=detail[:500],
        )
    )


def record_guardian(guardian_id: str, guardian_name: str, action: str, entity: str,
                    record_id: str | None, child_id: str) -> None:
    """Add an audit entry for a guardian reading their own child's report."""
    db.session.add(
        AuditEntry(actor_type="guardian", actor_id=guardian_id, actor_name=guardian_name,
                   action=action, entity=entity, record_id=record_id, child_id=child_id)
    )
