"""Staff users, managed by admins under the two-admin rule (issue 19).

An admin never sets or learns a password, and no single admin grants access: a new account
and any change of e-mail, role, institution or reactivation waits until a different,
unrelated admin approves it (``changes.py``, ``approval.py``). A name change and a
deactivation take effect at once (they grant nothing). Every change is in the account's
history (``log.py``).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from server.auth.current import current_user, require_roles
from server.auth.modes import require_password_login, staff_oidc_on
from server.errors import ApiError
from server.extensions import db
from server.models import AccountChange, User
from server.users import approval, changes, contact, links, log
from server.users.schemas import (
    AccountChangeSchema,
    ChangeQuerySchema,
    HistoryEntrySchema,
    UserCreateSchema,
    UserPatchSchema,
    UserSchema,
)

blp = Blueprint("users", __name__, url_prefix="/api/users", description="Staff (admin only)")


def _get(user_id: str) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "Not found.", "not_found")
    return user


def describe(change: AccountChange, viewer: User) -> dict[str, Any]:
    """A change as the admin screens show it, with whether ``viewer`` may approve it."""
    names = {
        u.id: u.name
        for u in db.session.scalars(
            select(User).where(
                User.id.in_(
                    [i for i in (change.user_id, change.requested_by_id, change.decided_by_id) if i]
                )
            )
        )
    }
    refusal = approval.refusal(change, viewer) if change.status == "pending" else None
    return {
        "id": change.id,
        "user_id": change.user_id,
        "user_name": names.get(change.user_id, ""),
        "kind": change.kind,
        "values": changes.requested(change),
        "previous": changes.previous(change),
        "status": change.status,
        "requested_by_id": change.requested_by_id,
        "requested_by_name": names.get(change.requested_by_id or "", "system"),
        "requested_at": change.requested_at,
        "decided_by_id": change.decided_by_id,
        "decided_by_name": names.get(change.decided_by_id or ""),
        "decided_at": change.decided_at,
        "may_approve": change.status == "pending" and refusal is None,
        "refusal": refusal,
    }


def _out(user: User) -> dict[str, Any]:
    pending = approval.pending_for(user.id)
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "institution_id": user.institution_id,
        "active": user.active,
        "work_phone": user.work_phone or "",  # a new account's server default, before a read
        "work_email": user.work_email or "",
        "pending": pending is not None and pending.kind == "create",
        "has_password": bool(user.password_hash),
        "created_at": user.created_at,
        "created_by_id": user.created_by_id,
        "approved_by_id": user.approved_by_id,
        "approved_at": user.approved_at,
        "pending_change": describe(pending, current_user()) if pending else None,
    }


def _refuse_own_access_change(user: User, data: dict[str, Any]) -> None:
    """Nobody changes their own role or institution, or deactivates themselves: an admin who
    could would give themselves a staff role and read children's data (or lock the
    municipality out of its last admin account). Another admin must do it."""
    if user.id != current_user().id:
        return
    fields: dict[str, list[str]] = {
        name: ["You cannot change this on your own account."]
        for name in ("role", "institution_id")
        if name in data and data[name] != getattr(user, name)
    }
    if data.get("active") is False:
        fields["active"] = ["You cannot deactivate your own account."]
    if fields:
        raise ApiError(
            403,
            "Nobody may change their own role, institution or access; ask another administrator.",
            "own_account",
            fields,
        )


# With the municipality's login (STAFF_OIDC_ISSUER), accounts, roles and institutions come
# from its claims at every sign-in: a change made here would be undone at the next one, or
# grant what the municipality did not. Deactivation (it takes access away) and names stay.
MANAGED = "managed_by_identity_provider"
_MANAGED_FIELDS = ("email", "role", "institution_id")


def _refuse_managed(fields: list[str] | None = None) -> None:
    if staff_oidc_on():
        raise ApiError(
            409,
            "Staff accounts, roles and institutions come from the "
            "municipality's login: change them there.",
            MANAGED,
            {name: ["Managed by the municipality's login."] for name in fields or []},
        )


def _deactivate(user: User) -> None:
    """Deactivation takes effect at once (it removes access) and is recorded."""
    if user.active:
        user.active = False
        log.entry("deactivated", user.id, "deactivated")


@blp.route("")
class Users(MethodView):
    decorators = [require_roles("admin")]

    @blp.response(200, UserSchema(many=True))
    def get(self) -> Any:
        """List staff users, with any change waiting for approval."""
        return [_out(u) for u in db.session.scalars(select(User).order_by(User.name))]

    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Ask for a new staff account: it stays inactive, without a password, until another
        admin approves it; the approval e-mails the person a link to choose a password.
        With the municipality's login, accounts are made at their first sign-in there: a
        409 ``managed_by_identity_provider``."""
        _refuse_managed()
        me = current_user()
        data["email"] = data["email"].strip().lower()
        user = User(email="", name="", role="", password_hash="", active=False, created_by_id=me.id)
        changes.check(user, data)
        for name, value in data.items():
            setattr(user, name, value)
        db.session.add(user)
        db.session.flush()
        changes.request(user, "create", data, me)
        changes.commit()
        return _out(user)


@blp.route("/<user_id>")
class UserById(MethodView):
    decorators = [require_roles("admin")]

    @blp.response(200, UserSchema)
    def get(self, user_id: str) -> Any:
        """Read a staff user."""
        return _out(_get(user_id))

    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    def patch(self, data: dict[str, Any], user_id: str) -> Any:
        """Change a staff user. The name, the work phone and e-mail, and deactivation, take
        effect at once; a change of
        e-mail, role, institution or a reactivation becomes a pending change (shown in
        ``pending_change``) that another admin approves. Nobody changes their own role or
        institution or deactivates themselves. With the municipality's login, e-mail, role
        and institution come from it: a change of them is a 409
        ``managed_by_identity_provider``."""
        me, user = current_user(), _get(user_id)
        _refuse_own_access_change(user, data)
        if "email" in data:
            data["email"] = data["email"].strip().lower()
        gated = {
            k: v
            for k, v in data.items()
            if k in changes.GATED and v != getattr(user, k) and k != "active"
        }
        if any(k in _MANAGED_FIELDS for k in gated):
            _refuse_managed([k for k in gated if k in _MANAGED_FIELDS])
        reactivate = data.get("active") is True and not user.active
        if reactivate and user.approved_at is None:
            # An account whose request was turned down, asked for again: a new request for the
            # whole account, so its approver sees everything it grants (the e-mail the welcome
            # link goes to above all), not a bare "active" under a name changed meanwhile.
            values = {
                "email": user.email,
                "name": data.get("name", user.name),
                "role": user.role,
                "institution_id": user.institution_id,
                **gated,
            }
            changes.check(user, values)
            changes.request(user, "create", values, me)
            gated = {}
        elif reactivate:
            gated["active"] = True
        changes.check(user, gated)
        if gated:
            changes.request(user, "change", gated, me)
        if "name" in data and data["name"] != user.name:
            log.entry("renamed", user.id, f"name: {user.name} -> {data['name']}")
            user.name = data["name"]
        contact.apply(user, data)
        if data.get("active") is False:
            _deactivate(user)
        changes.commit()
        return _out(user)

    @blp.response(204)
    def delete(self, user_id: str) -> None:
        """Deactivate a staff user (kept: courses and the audit log refer to them); their
        sessions end at once and stay ended if the user is reactivated."""
        user = _get(user_id)
        _refuse_own_access_change(user, {"active": False})
        _deactivate(user)
        changes.commit()


@blp.route("/<user_id>/password-link")
class PasswordLink(MethodView):
    decorators = [require_roles("admin")]

    @blp.response(204)
    def post(self, user_id: str) -> None:
        """E-mail the person a one-time link to choose a new password (the admin never sees
        it; their current password works until they use it)."""
        require_password_login()
        user = _get(user_id)
        if not user.active:
            raise ApiError(
                409, "Only an active, approved account gets a password link.", "inactive"
            )
        links.send(user, "reset", current_user())
        changes.commit()


@blp.route("/<user_id>/history")
class UserHistory(MethodView):
    decorators = [require_roles("admin")]

    @blp.response(200, HistoryEntrySchema(many=True))
    def get(self, user_id: str) -> Any:
        """The account's changes: who did what, when, and who approved it."""
        return log.history(_get(user_id).id)


@blp.route("/changes")
class Changes(MethodView):
    decorators = [require_roles("admin")]

    @blp.arguments(ChangeQuerySchema, location="query")
    @blp.response(200, AccountChangeSchema(many=True))
    def get(self, query: dict[str, str]) -> Any:
        """Account changes (pending ones by default), newest first, with whether you may
        approve each."""
        me = current_user()
        rows = db.session.scalars(
            select(AccountChange)
            .where(AccountChange.status == query["status"])
            .order_by(AccountChange.requested_at.desc())
            .limit(200)
        )
        return [describe(c, me) for c in rows]


def _change(change_id: str) -> AccountChange:
    change = db.session.get(AccountChange, change_id)
    if change is None:
        raise ApiError(404, "Not found.", "not_found")
    return change


@blp.route("/changes/<change_id>/approve")
class Approve(MethodView):
    decorators = [require_roles("admin")]

    @blp.response(200, AccountChangeSchema)
    def post(self, change_id: str) -> Any:
        """Approve another admin's request (403 with the reason when the two-admin rule does
        not allow you to)."""
        me, change = current_user(), _change(change_id)
        if change.kind == "create" or any(k in _MANAGED_FIELDS for k in changes.requested(change)):
            _refuse_managed()  # asked for before the municipality's login was switched on
        changes.approve(change, me)
        changes.commit()
        return describe(change, me)


@blp.route("/changes/<change_id>/reject")
class Reject(MethodView):
    decorators = [require_roles("admin")]

    @blp.response(200, AccountChangeSchema)
    def post(self, change_id: str) -> Any:
        """Reject a request (the requester may withdraw their own)."""
        me, change = current_user(), _change(change_id)
        changes.reject(change, me)
        if change.kind == "create":
            log.entry("closed", change.user_id, "the requested account was not approved")
        changes.commit()
        return describe(change, me)
