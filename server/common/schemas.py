"""Base schemas shared by every resource."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from marshmallow import Schema, fields, validate


class RecordSchema(Schema):
    """Fields every synced record carries: a client-made UUID and server bookkeeping."""

    id = fields.UUID(load_default=None, metadata={"description": "Client-made UUID (optional)"})
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
    deleted = fields.Method("_deleted", dump_only=True)

    def _deleted(self, obj: Any) -> bool:
        return getattr(obj, "deleted_at", None) is not None


def aware(**kwargs: Any) -> fields.AwareDateTime:
    """A timestamp field: ISO 8601; a time without zone is taken as UTC."""
    return fields.AwareDateTime(default_timezone=UTC, **kwargs)


def text(max_len: int, **kwargs: Any) -> fields.String:
    """A bounded text field."""
    return fields.String(validate=validate.Length(max=max_len), **kwargs)


def required_text(max_len: int, **kwargs: Any) -> fields.String:
    """A bounded text field that must not be blank."""
    return fields.String(
        required=True, validate=validate.Length(min=1, max=max_len), **kwargs
    )


def one_of(choices: tuple[str, ...], **kwargs: Any) -> fields.String:
    """A string restricted to an enumeration."""
    return fields.String(validate=validate.OneOf(choices), **kwargs)


def ref(**kwargs: Any) -> fields.String:
    """A reference to another record's UUID."""
    return fields.String(validate=validate.Length(equal=36), **kwargs)
