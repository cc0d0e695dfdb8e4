"""What every sync call checks first (the protocol version), and the envelope of its answers."""

from __future__ import annotations

from flask import request
from marshmallow import Schema, fields, validate

from server.errors import ApiError
from server.extensions import ErrorDetail

PROTOCOL_VERSION = 1
HEADER = "Sync-Protocol"


def check_protocol_version() -> None:
    """426 for a client that speaks an older protocol: it must reload to get the new app.

    Its unsent changes stay in its outbox (the client keeps them; nothing here touches them).
    """
    raw = request.headers.get(HEADER, "")
    try:
        version = int(raw)
    except ValueError:
        version = 0
    if version < PROTOCOL_VERSION:
        raise ApiError(
            426,
            "This version of the app is too old to sync. Reload the app to update it; "
            "your unsent changes are kept on this device.",
            "client_outdated",
            {HEADER: [f"Send {HEADER}: {PROTOCOL_VERSION}."]},
        )
    if version > PROTOCOL_VERSION:
        raise ApiError(
            400,
            f"The server speaks sync protocol {PROTOCOL_VERSION}, not {version}.",
            "protocol_unsupported",
            {HEADER: [f"Send {HEADER}: {PROTOCOL_VERSION}."]},
        )


# The envelope of a pull and a push (sync/PROTOCOL.md). The pull's page and the push's
# answer are built as plain dicts for speed (server/sync/wire.py, push.py) and these schemas
# are not run over them; they say what those dicts hold, for the tablet's generated types
# (server/contract.py writes them into contract.gen.ts), so the envelope is written once,
# here; tests/server/test_read_types.py holds real answers against them. A list item that is
# one of several shapes names them under ONE_OF in its metadata (marshmallow has no union
# field; the API document shows such an item as any object).
ONE_OF = "one_of"
PUSH_STATUSES = ("applied", "merged", "duplicate", "rejected")


class WireRecordSchema(Schema):
    """A record as a pull sends it; ``fields`` is what its kind's schema dumps."""

    entity = fields.String(required=True)
    id = fields.String(required=True)
    version = fields.Integer(required=True)
    scope = fields.String(required=True)
    deleted = fields.Boolean(required=True)
    # Always sent; the tablet does not read it (a record's version orders its changes).
    updated_at = fields.String(allow_none=True)
    record_fields = fields.Dict(keys=fields.String(), required=True, data_key="fields")


class WirePurgeSchema(Schema):
    """A scope the caller may no longer read: the device deletes everything of it."""

    entity = fields.Constant("scope", required=True)
    id = fields.String(required=True)
    deleted = fields.Constant(True, required=True)
    reason = fields.String(required=True)


class ConflictNoteSchema(Schema):
    """A field this change lost or won against another device's (server/sync/conflicts.py)."""

    id = fields.String(required=True)
    field = fields.String(required=True)
    value = fields.Raw(required=True, allow_none=True)
    winning_value = fields.Raw(required=True, allow_none=True)
    kind = fields.String(required=True)
    user_id = fields.String(required=True)


class PushResultSchema(Schema):
    """One mutation's answer (``id`` null: the mutation was too malformed to name itself)."""

    id = fields.String(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(PUSH_STATUSES))
    first_status = fields.String(validate=validate.OneOf(PUSH_STATUSES))
    version = fields.Integer(allow_none=True)
    conflicts = fields.List(fields.Nested(ConflictNoteSchema))
    error = fields.Nested(ErrorDetail)
