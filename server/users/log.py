"""Every change of a staff account in the audit log: who, what, when, approved by whom.

Admins see an account's history and the person sees their own (``history``); the entries are
the audit log's own rows (entity ``user_account``), so they are kept and pruned with it.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from server.audit import actor_name_fit
from server.extensions import db
from server.models import AuditEntry, User

ENTITY = "user_account"


def entry(action: str, user_id: str, detail: str, actor: User | None = None) -> None:
    """Record one account change; ``actor`` defaults to the signed-in user."""
    if actor is None and has_request_context():
        actor = g.get("user")
    db.session.add(
        AuditEntry(
            actor_type="user" if actor is not None else "system",
            actor_id=actor.id if actor is not None else None,
            actor_name=actor_name_fit(f"{actor.name} ({actor.role})")
            if actor is not None
            else "system",
            action=action,
            entity=ENTITY,
            record_id=user_id,
            child_id=None,
            detail=detail[:500],
        )
    )


def history(user_id: str) -> list[AuditEntry]:
    """The account's changes, newest first."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == ENTITY, AuditEntry.record_id == user_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        )
    )
