"""Schemas for children and guardians."""

from __future__ import annotations

from marshmallow import fields, validate

from server.records.schemas import RecordSchema, ref, required_text, text


class ChildSchema(RecordSchema):
    """A child; the institution decides which educators see the child."""

    first_name = required_text(100)
    last_name = required_text(100)
    birth_date = fields.Date(allow_none=True, load_default=None)
    institution_id = ref(required=True)


class GuardianSchema(RecordSchema):
    """A guardian of a child; both custody holders get everything the parents get."""

    child_id = ref(required=True)
    name = required_text(200)
    relation = text(50, load_default="")
    email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))
    phone = text(30, allow_none=True, load_default=None)
    has_custody = fields.Boolean(load_default=True)
