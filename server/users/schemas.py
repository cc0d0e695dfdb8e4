"""Schemas for staff users, their pending changes and their history."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from server.models._common import ROLES
from server.records.schemas import one_of, ref, required_text
from server.users.contact import email_field, phone_field

NO_PASSWORDS = (
    "An administrator never sets a password: the person chooses their own "
    "through the link they are e-mailed (POST /api/users/{id}/password-link)."
)


class _NoPassword(Schema):
    @pre_load
    def refuse_password(self, data: Any, **_: Any) -> Any:
        """A clear field error (not "Unknown field") for the field admins used to send."""
        if isinstance(data, dict) and "password" in data:
            raise ValidationError({"password": [NO_PASSWORDS]})
        return data


class UserCreateSchema(_NoPassword):
    """A new account: it waits, inactive and without a password, for a second admin."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = required_text(200)
    role = one_of(ROLES, required=True)
    institution_id = ref(allow_none=True, load_default=None)


class UserPatchSchema(_NoPassword):
    """A change: the name and a deactivation take effect at once; a change of e-mail, role,
    institution or a reactivation waits for a second admin."""

    email = fields.Email(validate=validate.Length(max=254))
    name = fields.String(validate=validate.Length(min=1, max=200))
    role = one_of(ROLES)
    institution_id = ref(allow_none=True)
    active = fields.Boolean()
    # How parents reach the person (server/users/contact.py): at once, like the name.
    work_phone = phone_field()
    work_email = email_field()


class AccountChangeSchema(Schema):
    """A request to create an account or change its access, and its decision."""

    id = fields.String()
    user_id = fields.String()
    user_name = fields.String()
    kind = fields.String(metadata={"description": "create or change"})
    values = fields.Dict(keys=fields.String(), metadata={"description": "requested values"})
    previous = fields.Dict(
        keys=fields.String(),
        metadata={"description": "the account's values when the change was requested"},
    )
    status = fields.String(metadata={"description": "pending, approved or rejected"})
    requested_by_id = fields.String(allow_none=True)
    requested_by_name = fields.String()
    requested_at = fields.AwareDateTime()
    decided_by_id = fields.String(allow_none=True)
    decided_by_name = fields.String(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    may_approve = fields.Boolean(
        metadata={"description": "whether the signed-in admin may approve it"}
    )
    refusal = fields.String(
        allow_none=True,
        metadata={
            "description": "why the signed-in admin may not approve it: not_active_admin, "
            "own_request, approved_by_requester, requesters_line, accounts_line"
        },
    )


class UserSchema(Schema):
    """A staff user as admins see it (no password, ever)."""

    id = fields.String(dump_only=True)
    email = fields.String()
    name = fields.String()
    role = fields.String()
    institution_id = fields.String(allow_none=True)
    active = fields.Boolean()
    work_phone = fields.String()
    work_email = fields.String()
    pending = fields.Boolean(metadata={"description": "created, waiting for a second admin"})
    has_password = fields.Boolean()
    created_at = fields.AwareDateTime()
    created_by_id = fields.String(allow_none=True)
    approved_by_id = fields.String(allow_none=True)
    approved_at = fields.AwareDateTime(allow_none=True)
    pending_change = fields.Nested(AccountChangeSchema, allow_none=True)


class ChangeQuerySchema(Schema):
    """Which account changes to list."""

    status = one_of(("pending", "approved", "rejected"), load_default="pending")


class HistoryEntrySchema(Schema):
    """One change of an account: who did what, when (an approval names the approver)."""

    at = fields.AwareDateTime()
    actor_id = fields.String(allow_none=True)
    actor_name = fields.String()
    action = fields.String()
    detail = fields.String()
