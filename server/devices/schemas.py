"""Schemas of the device key endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields


class DeviceKeySchema(Schema):
    """The wrapping key of this device for the signed-in person (base64 of 32 bytes)."""

    key = fields.String(required=True)


class DeviceQuerySchema(Schema):
    """Whose devices an admin lists (a UUID: any other text, a NUL byte included, is a 422
    before it reaches the database, which PostgreSQL would answer with an error)."""

    user_id = fields.UUID(required=True)


class DeviceSchema(Schema):
    """A device a person has signed in on, as an admin sees it (never its key)."""

    id = fields.String(dump_only=True, required=True)
    user_id = fields.String(required=True)
    device_id = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    last_used_at = fields.DateTime(required=True)
    closed_at = fields.DateTime(required=True, allow_none=True)
