"""Base schemas shared by every resource."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

INT32_MAX = 2**31 - 1  # an Integer column's largest value on PostgreSQL


class RecordSchema(Schema):
    """Fields every synced record carries: a client-made UUID and server bookkeeping."""

    id = fields.UUID(load_default=None, metadata={"description": "Client-made UUID (optional)"})
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
    deleted = fields.Boolean(
        dump_only=True,
        metadata={
            "description": "Deleted records are kept (for sync and restore) and say so here."
        },
    )


class UtcTimestamp(fields.AwareDateTime):
    """An ISO 8601 time, kept in UTC: a time the database cannot hold in UTC (past the year
    9999 once converted) is a field error here, not a failure when it is written."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError("Not a time that can be stored (outside years 1-9999).") from exc


def aware(**kwargs: Any) -> UtcTimestamp:
    """A timestamp field: ISO 8601; a time without zone is taken as UTC."""
    return UtcTimestamp(default_timezone=UTC, **kwargs)


def text(max_len: int, **kwargs: Any) -> fields.String:
    """A bounded text field."""
    return fields.String(validate=validate.Length(max=max_len), **kwargs)


def required_text(max_len: int, **kwargs: Any) -> fields.String:
    """A bounded text field that must not be blank."""
    return fields.String(required=True, validate=validate.Length(min=1, max=max_len), **kwargs)


def one_of(choices: tuple[str, ...], **kwargs: Any) -> fields.String:
    """A string restricted to an enumeration."""
    return fields.String(validate=validate.OneOf(choices), **kwargs)


def ref(**kwargs: Any) -> fields.String:
    """A reference to another record's UUID."""
    return fields.String(validate=validate.Length(equal=36), **kwargs)
