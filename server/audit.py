"""Recording reads and writes of a child's data in the audit log."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, time
from typing import Any

from flask import g, has_request_context
from sqlalchemy import Table, delete, insert, select

from server.extensions import db
from server.models import AuditEntry
from server.models._common import utcnow
from server.text.da import LOCAL

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


# A tablet's pulls (issue 26 point 2): action and entity of the one entry per device, child
# and day, and the words of its detail (parsed back by ``fetch_detail``).
FETCH = ("sync", "pull")


def device_tag(session_id: str) -> str:
    """A name for a signed-in device in the audit log: a hash of its session's id, which is
    the cookie's secret and must never be stored in the clear."""
    return "device:" + hashlib.sha256(f"audit-device:{session_id}".encode()).hexdigest()[:32]


def record_fetches(children: Mapping[str, int]) -> None:
    """A tablet's pull sent these children's records (child id: how many): one entry per
    device, child and (Danish) day, not one per pull.

    A tablet pulls every few seconds while it is in use; an entry per pull made the log grow
    with every sync and told parents "72 gange", as if a person had looked. The day's entry
    is replaced by one that carries the day's first pull and the number of pulls (the same
    facts, one row), so the newest entry always has the newest time and a new id: "this
    pull is logged" stays true, and the table holds one row per device, child and day. Two
    workers pulling for one device at the same instant may leave two rows for that day: the
    log says the same, and the next pull replaces both."""
    if not children:
        return
    user = g.get("user") if has_request_context() else None
    session = g.get("auth_session") if has_request_context() else None
    now = utcnow()
    device = device_tag(session.id) if session is not None else None
    start = datetime.combine(now.astimezone(LOCAL).date(), time(), LOCAL)
    table = AUDIT_TABLE.c
    earlier = db.session.execute(
        select(table.id, table.child_id, table.at, table.detail).where(
            table.child_id.in_(list(children)),
            table.at >= start,
            table.action == FETCH[0],
            table.entity == FETCH[1],
            table.actor_id == (user.id if user is not None else None),
            table.record_id == device,
        )
    ).all()
    first: dict[str, datetime] = {}
    pulls: dict[str, int] = {}
    for row in earlier:
        was_first, was_pulls = fetch_detail(row.detail, row.at)
        first[row.child_id] = min(first.get(row.child_id, was_first), was_first)
        pulls[row.child_id] = pulls.get(row.child_id, 0) + was_pulls
    record_many(
        (
            *FETCH,
            device,
            child_id,
            f"pulls={pulls.get(child_id, 0) + 1};first={first.get(child_id, now).isoformat()};"
            f"records={count}",
        )
        for child_id, count in children.items()
    )
    # Removed after the new rows are in: SQLite gives a new row the highest id plus one, which
    # after the delete could be the id just removed (and "newer than" is read by id).
    if earlier:
        db.session.execute(delete(AUDIT_TABLE).where(table.id.in_([r.id for r in earlier])))


def fetch_detail(detail: str, at: datetime) -> tuple[datetime, int]:
    """The first pull and the number of pulls a fetch entry stands for (an entry written
    before entries were per day, "12 records", stands for one pull, at its own time)."""
    fields = dict(part.partition("=")[::2] for part in detail.split(";") if "=" in part)
    try:
        return datetime.fromisoformat(fields["first"]), int(fields["pulls"])
    except (KeyError, ValueError):
        return at, 1
