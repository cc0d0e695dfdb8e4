"""Schemas for institutions."""

from __future__ import annotations

from marshmallow import Schema, fields

from server.models._common import INSTITUTION_KINDS
from server.records.schemas import one_of, required_text


class InstitutionSchema(Schema):
    """A daycare or school."""

    id = fields.String(dump_only=True)
    name = required_text(200)
    kind = one_of(INSTITUTION_KINDS, required=True)
    created_at = fields.AwareDateTime(dump_only=True)
