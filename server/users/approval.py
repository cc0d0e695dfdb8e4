"""The two-admin rule: who may approve a request to create an account or change its access.

The threat (issue 19): one admin, with any number of accounts it makes, must never obtain a
session that reads a child's data. An account an admin creates is that admin's to control
(it chose the e-mail the welcome link goes to), and so is an account whose role, institution
or e-mail it had changed. So every account has *sponsors*: its creator, and whoever
requested an approved change of its access. The closure of that relation is its *lineage*.

An approver must be an active admin other than the requester, with an approved account,
whose lineage shares no account with the requester's lineage nor with the changed account's
lineage (which contains the account itself, so nobody approves a change to their own
account). A chain A creates B, B creates C leaves A in C's lineage: C never approves A's
requests, nor A C's, nor B either; an admin the operator made (no creator) approves them.
"""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.models import AccountChange, User


def _sponsors(user_ids: set[str]) -> set[str]:
    """Who created these accounts or requested an approved change of their access."""
    creators = db.session.scalars(
        select(User.created_by_id).where(User.id.in_(user_ids), User.created_by_id.is_not(None))
    )
    requesters = db.session.scalars(
        select(AccountChange.requested_by_id).where(
            AccountChange.user_id.in_(user_ids),
            AccountChange.status == "approved",
            AccountChange.requested_by_id.is_not(None),
        )
    )
    return {i for i in (*creators, *requesters) if i is not None}


def lineage(user_id: str) -> set[str]:
    """The account and, transitively, everyone who created it or had its access changed."""
    seen = {user_id}
    frontier = {user_id}
    while frontier:
        frontier = _sponsors(frontier) - seen
        seen |= frontier
    return seen


# Why an approval is refused: a code the app words in Danish, and the API's English message.
REFUSALS = {
    "not_active_admin": "Only an active administrator approves account changes.",
    "own_request": "Nobody approves their own request; another administrator must.",
    "approved_by_requester": "The requester approved your account, so you cannot approve "
    "their requests.",
    "requesters_line": "Your account and the requester's were created or changed by the "
    "same administrator (or one by the other).",
    "accounts_line": "You, or an administrator in your account's line, created or changed "
    "this account (or it is yours).",
}


def refusal(change: AccountChange, approver: User) -> str | None:
    """Why ``approver`` may not approve ``change``: a key of REFUSALS (None: they may)."""
    if approver.role != "admin" or not approver.active:
        return "not_active_admin"
    if change.requested_by_id == approver.id:
        return "own_request"
    if change.requested_by_id is not None and approver.approved_by_id == change.requested_by_id:
        return "approved_by_requester"
    mine = lineage(approver.id)
    if change.requested_by_id is not None and mine & lineage(change.requested_by_id):
        return "requesters_line"
    if mine & lineage(change.user_id):
        return "accounts_line"
    return None


def pending_for(user_id: str) -> AccountChange | None:
    """The change waiting for approval on this account, if any (at most one)."""
    return db.session.scalars(
        select(AccountChange).where(
            AccountChange.user_id == user_id, AccountChange.status == "pending"
        )
    ).first()
