"""Schemas for staff users."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.common.schemas import one_of, ref, required_text
from server.models._common import ROLES


class UserSchema(Schema):
    """A staff user; the password is write-only."""

    id = fields.String(dump_only=True)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = required_text(200)
    role = one_of(ROLES, required=True)
    institution_id = ref(allow_none=True, load_default=None)
    active = fields.Boolean(load_default=True)
    password = fields.String(
        load_only=True, required=True, validate=validate.Length(min=10, max=500)
    )
    created_at = fields.AwareDateTime(dump_only=True)

