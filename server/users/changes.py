"""Requesting, approving and rejecting account changes (the rule: server/users/approval.py)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.errors import ApiError
from server.extensions import db
from server.models import AccountChange, Institution, User
from server.models._common import utcnow
from server.users import approval, links, log

# Fields whose change waits for a second admin: they grant or move access (role, institution,
# reactivation) or decide where password links go (e-mail).
GATED = ("email", "role", "institution_id", "active")


def check(user: User, values: dict[str, Any]) -> None:
    """Refuse values that could never be applied: checked before anything is set or flushed,
    so a bad reference is a 422 with a field error and never a database error (issue 19, 6a)."""
    if values.get("active") is True and user.approved_at is None:
        # A new account turned down (or withdrawn) stays inactive and never approved; it
        # must not return as a mere "reactivation", which shows its approver a name and
        # "active" but not the e-mail the welcome link would go to.
        raise ApiError(
            409,
            "This account was never approved; ask for a new account instead.",
            "never_approved",
            {"active": ["The request for this account was turned down."]},
        )
    institution_id = values.get("institution_id", user.institution_id)
    if (
        "institution_id" in values
        and institution_id is not None
        and db.session.get(Institution, institution_id) is None
    ):
        raise ApiError(
            422, "Unknown institution.", "invalid", {"institution_id": ["No such institution."]}
        )
    if values.get("role", user.role) == "educator" and not institution_id:
        raise ApiError(
            422,
            "An educator must belong to an institution.",
            "invalid",
            {"institution_id": ["Choose the educator's institution."]},
        )
    if "email" in values:
        clash = db.session.scalar(
            select(User.id).where(func.lower(User.email) == values["email"], User.id != user.id)
        )
        if clash:
            raise ApiError(
                409,
                "A user with this e-mail exists already.",
                "email_taken",
                {"email": ["This e-mail is taken."]},
            )


def commit() -> None:
    """Commit; a constraint another request won meanwhile (the same e-mail, an institution
    deleted) is a 409, never a 500."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise ApiError(
            409, "Another change got there first; reload and try again.", "conflict"
        ) from exc


def request(user: User, kind: str, values: dict[str, Any], by: User) -> AccountChange:
    """Record a request; nothing of it takes effect until another admin approves it."""
    if approval.pending_for(user.id) is not None:
        raise ApiError(
            409,
            "A change of this account is waiting for approval already; "
            "have it approved or rejected first.",
            "change_pending",
        )
    previous = {name: getattr(user, name) for name in values}
    change = AccountChange(
        user_id=user.id,
        kind=kind,
        requested_by_id=by.id,
        values=json.dumps({"values": values, "previous": previous}),
    )
    db.session.add(change)
    log.entry(f"{kind}_requested", user.id, f"requested: {_describe(values)}", by)
    return change


def approve(change: AccountChange, approver: User) -> None:
    """Apply a pending change, if ``approver`` is allowed to (403 with the reason if not)."""
    _pending(change)
    reason = approval.refusal(change, approver)
    if reason is not None:
        raise ApiError(403, approval.REFUSALS[reason], "approval_refused", {"approver": [reason]})
    user = db.session.get(User, change.user_id)
    assert user is not None
    values = requested(change)
    check(user, values)  # the world may have changed since the request (an institution gone)
    with db.session.no_autoflush:
        for name, value in values.items():
            setattr(user, name, value)
    change.status, change.decided_by_id, change.decided_at = "approved", approver.id, utcnow()
    detail = f"approved ({_describe(values)}), requested by {_name(change.requested_by_id)}"
    log.entry("approved", user.id, detail, approver)
    if change.kind == "create":
        user.active = True
    if user.active and user.approved_at is None:
        # The account's first access: the approval is recorded on it, and the person gets
        # the link to choose a password (they have none yet).
        user.approved_by_id, user.approved_at = approver.id, utcnow()
    if user.active and not user.password_hash:
        links.send(user, "welcome", approver)
    elif "email" in values:
        links.retire(user.id)  # a link sent to the old address must not stay usable


def reject(change: AccountChange, by: User) -> None:
    """Turn a request down (anyone admin may, the requester too: that only withdraws it)."""
    _pending(change)
    change.status, change.decided_by_id, change.decided_at = "rejected", by.id, utcnow()
    log.entry(
        "rejected",
        change.user_id,
        f"rejected ({_describe(requested(change))}), requested by {_name(change.requested_by_id)}",
        by,
    )


def requested(change: AccountChange) -> dict[str, Any]:
    """The values the change asks for."""
    values: dict[str, Any] = json.loads(change.values)["values"]
    return values


def previous(change: AccountChange) -> dict[str, Any]:
    """The account's values when the change was asked for."""
    values: dict[str, Any] = json.loads(change.values).get("previous", {})
    return values


def _pending(change: AccountChange) -> None:
    if change.status != "pending":
        raise ApiError(409, f"This change was {change.status} already.", "change_decided")


def _name(user_id: str | None) -> str:
    user = db.session.get(User, user_id) if user_id else None
    return f"{user.name} ({user.email})" if user is not None else "system"


def _describe(values: dict[str, Any]) -> str:
    return ", ".join(f"{name}={value}" for name, value in sorted(values.items()))
