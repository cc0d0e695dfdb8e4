"""Schemas for children and guardians."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from server.identity import da
from server.identity.cpr import Cpr, InvalidCpr
from server.records.schemas import RecordSchema, past_date, ref, required_text, text

# The oldest a child of a course can be: the municipality's daycare and school offers reach
# young people up to 25 (the special-needs youth education, STU, runs to that age). A date
# further back is a typing slip (1917 for 2017), not a child.
CHILD_YEARS = 25


class ChildSchema(RecordSchema):
    """A child; the institution decides which educators see the child."""

    first_name = required_text(100)
    last_name = required_text(100)
    # Required when a child is made (issue 23: the course's age-based steps need it), and never
    # cleared after; rows made before it was required may lack it and stay readable (null).
    birth_date = past_date(CHILD_YEARS, once_null=True, required=True)
    institution_id = ref(required=True)


class GuardianSchema(RecordSchema):
    """A guardian of a child; both custody holders get everything the parents get."""

    child_id = ref(required=True)
    name = required_text(200)
    relation = text(50, load_default="")
    email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=254))
    phone = text(30, allow_none=True, load_default=None)
    has_custody = fields.Boolean(load_default=True)


class CprField(fields.String):
    """A CPR number in: ten digits, with or without '-' after the sixth, the first six a
    date. Loads as a ``Cpr`` (masked wherever it is printed); the message never repeats it."""

    # A String in the OpenAPI document (apispec maps by class) that loads as a Cpr.
    def _deserialize(  # type: ignore[override]  # narrows str to the validated Cpr
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> Cpr:
        try:
            return Cpr(super()._deserialize(value, attr, data, **kwargs))
        except InvalidCpr:
            raise ValidationError(da.CPR_INVALID) from None


class CprInSchema(Schema):
    """A CPR number to store for a child or a guardian (null takes it away).

    A resource of its own, never a field of the child or guardian record: those records are
    what sync pulls and the tablet keeps, and a CPR number is never there."""

    cpr = CprField(
        required=True,
        allow_none=True,
        metadata={"description": "Ten digits, DDMMYY-SSSS or DDMMYYSSSS; null removes it."},
    )


class CprOutSchema(Schema):
    """The CPR number as staff see it: the birth date and four X's, never the digits."""

    cpr_masked = fields.String(
        allow_none=True,
        metadata={"description": "DDMMYY-XXXX, or null when none is recorded."},
    )
