"""Schemas for institutions."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, pre_load, validate

from server.models._common import INSTITUTION_KINDS
from server.records.schemas import one_of, required_text


class InstitutionSchema(Schema):
    """A daycare or school."""

    id = fields.String(dump_only=True)
    name = required_text(200)
    kind = one_of(INSTITUTION_KINDS, required=True)
    # The id the municipality's login names the institution by (STAFF_INSTITUTION_CLAIM):
    # an organisation UUID or an EAN number. Empty means none.
    external_id = fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": "the institution's id at the municipality's login (organisation "
            "UUID or EAN); staff signing in there are placed by it"
        },
    )
    created_at = fields.AwareDateTime(dump_only=True)

    @pre_load
    def empty_external_id(self, data: Any, **_: Any) -> Any:
        """A cleared field is no id (two institutions without one do not clash)."""
        if isinstance(data, dict) and isinstance(data.get("external_id"), str):
            return {**data, "external_id": data["external_id"].strip() or None}
        return data
