"""Push: apply a batch of mutations, each exactly once, each in its own savepoint."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import insert, select

from server.errors import ApiError, flatten_messages
from server.extensions import db
from server.models import SYNC_TABLES, User
from server.models._common import utcnow
from server.sync.apply import Mutation, apply_mutation
from server.sync.wire import KINDS
from sync.clock import clamp, parse

MAX_BATCH = 500
OPS = ("upsert", "delete", "restore")


class MutationSchema(Schema):
    """One mutation's envelope (its ``fields`` are checked by the entity's own schema)."""

    id = fields.UUID(required=True)
    entity = fields.String(required=True, validate=validate.Length(max=40))
    record_id = fields.UUID(required=True)
    op = fields.String(required=True, validate=validate.OneOf(OPS))
    changes = fields.Dict(keys=fields.String(), load_default=dict, data_key="fields")
    base_version = fields.Integer(allow_none=True, load_default=None,
                                  validate=validate.Range(min=0))
    clock = fields.String(required=True, validate=validate.Length(max=100))


def push(user: User, client_id: str, mutations: list[Any], now_ms: int) -> list[dict[str, Any]]:
    """One result per mutation, in order; the caller commits."""
    if len(mutations) > MAX_BATCH:
        raise ApiError(413, f"A push holds at most {MAX_BATCH} mutations; send the rest next.",
                       "too_large", {"mutations": [f"At most {MAX_BATCH}."]})
    return [_one(user, client_id, raw, now_ms) for raw in mutations]


def _one(user: User, client_id: str, raw: Any, now_ms: int) -> dict[str, Any]:
    try:
        env = MutationSchema().load(raw if isinstance(raw, dict) else {})
    except ValidationError as exc:
        mid = raw.get("id") if isinstance(raw, dict) else None
        return _rejected(mid if isinstance(mid, str) else None, "invalid",
                         "The mutation is malformed.", flatten_messages(exc.messages))
    mutation_id = str(env["id"])
    stored = _stored_result(mutation_id)
    if stored is not None:
        user_id, result = stored
        if user_id != user.id:
            return _rejected(mutation_id, "mutation_id_taken",
                             "This mutation id was used by someone else.", {"id": ["Taken."]})
        return {**result, "status": "duplicate", "first_status": result["status"]}
    result = _apply(user, client_id, mutation_id, env, now_ms)
    if result.get("error", {}).get("code") == "server_error":
        return result  # not remembered: a retry runs it again
    db.session.execute(insert(SYNC_TABLES.mutation).values(
        id=mutation_id, client_id=client_id, user_id=user.id, result=result,
        created_at=utcnow(),
    ))
    return result


def _apply(user: User, client_id: str, mutation_id: str, env: dict[str, Any],
           now_ms: int) -> dict[str, Any]:
    kind = KINDS.get(env["entity"])
    if kind is None:
        return _rejected(mutation_id, "unknown_entity", "This kind of record cannot be synced.",
                         {"entity": ["Unknown entity."]})
    try:
        stamp = clamp(parse(env["clock"]), now_ms)
    except ValueError as exc:
        return _rejected(mutation_id, "invalid", "The mutation is malformed.",
                         {"clock": [str(exc)]})
    mutation = Mutation(
        id=mutation_id, entity=kind.name, record_id=str(env["record_id"]), op=env["op"],
        fields=env["changes"], base_version=env["base_version"], stamp=stamp,
        client_id=client_id,
    )
    savepoint = db.session.begin_nested()
    try:
        outcome = apply_mutation(kind, user, mutation)
    except ApiError as exc:
        savepoint.rollback()
        return _rejected(mutation_id, exc.code, exc.message, exc.fields)
    except ValidationError as exc:
        savepoint.rollback()
        return _rejected(mutation_id, "invalid", "Some fields are not valid.",
                         flatten_messages(exc.messages))
    except Exception:
        # A bug must not block the device's queue behind this one mutation (PROTOCOL.md 6).
        savepoint.rollback()
        current_app.logger.exception("sync mutation %s failed", mutation_id)
        return _rejected(mutation_id, "server_error",
                         "The server failed on this change; it is kept and sent again later.")
    savepoint.commit()
    return {"id": mutation_id, "status": outcome.status, "version": outcome.version,
            "conflicts": outcome.conflicts}


def _stored_result(mutation_id: str) -> tuple[str, dict[str, Any]] | None:
    row = db.session.execute(
        select(SYNC_TABLES.mutation.c.user_id, SYNC_TABLES.mutation.c.result)
        .where(SYNC_TABLES.mutation.c.id == mutation_id)
    ).first()
    return (row.user_id, dict(row.result)) if row is not None else None


def _rejected(mutation_id: str | None, code: str, message: str,
              field_errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"id": mutation_id, "status": "rejected",
            "error": {"code": code, "message": message, "fields": field_errors or {}}}
