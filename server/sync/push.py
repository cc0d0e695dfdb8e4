"""Push: check each mutation's envelope, apply it exactly once, each in its own savepoint.

Applying a change is the write path's business (``server/records/write.py``, the same code
as a REST call); this module only checks envelopes, remembers answers (idempotence) and
keeps one mutation's failure from touching the others.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import insert, inspect, select
from sqlalchemy.exc import IntegrityError

from server.errors import ApiError, flatten_messages
from server.extensions import db
from server.models import SYNC_TABLES, User
from server.models._common import utcnow
from server.photos.access import NOT_UPLOADED
from server.records import write
from server.records.batch import Batch
from server.records.json_input import problems
from server.sync.conflicts import describe_stored
from server.sync.wire import KINDS
from sync.clock import clamp, parse
from sync.sql import among

MAX_BATCH = 500
OPS = ("upsert", "delete", "restore")
# Answers that are not final, so not stored: sending the mutation again tries it afresh.
# A server fault, and a photo record whose bytes its author has not uploaded yet (the
# tablet uploads them and sends the record again; server/photos/access.py).
NOT_FINAL = frozenset({"server_error", NOT_UPLOADED})


class MutationSchema(Schema):
    """One mutation's envelope (its ``fields`` are checked by the entity's own schema)."""

    id = fields.UUID(required=True)
    entity = fields.String(required=True, validate=validate.Length(max=40))
    record_id = fields.UUID(required=True)
    op = fields.String(required=True, validate=validate.OneOf(OPS))
    changes = fields.Dict(keys=fields.String(), load_default=dict, data_key="fields")
    base_version = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=0)
    )
    clock = fields.String(required=True, validate=validate.Length(max=100))


_ENVELOPE = MutationSchema()


class _SlowPath(Exception):
    """A change the fast path wrote without a savepoint failed: no answer can name the
    mutation at fault, so the batch is applied again with a savepoint each."""


def push(
    user: User, client_id: str, mutations: list[Any], now_ms: int, check_text: bool = True
) -> list[dict[str, Any]]:
    """One result per mutation, in order; the caller commits. ``check_text=False``: the body
    is known to hold no text that cannot be stored (json_input.may_hold_bad_text)."""
    if len(mutations) > MAX_BATCH:
        raise ApiError(
            413,
            f"A push holds at most {MAX_BATCH} mutations; send the rest next.",
            "too_large",
            {"mutations": [f"At most {MAX_BATCH}."]},
        )
    envelopes = [_envelope(raw, check_text) for raw in mutations]
    # The fast path: kinds without process rules are written without a savepoint each and
    # inserted together (2.5 x the pushes per second of a savepoint each: docs/architecture.md,
    # "Wire paths"). Only a failure of those writes is taken again one by one; any other
    # (a fault in the batch's own statements, a deadlock, a lost connection) is no one
    # mutation's, would fail again, and answers 500 with nothing stored: the tablet sends
    # the batch again.
    try:
        results = _run(user, client_id, envelopes, now_ms, fast=True)
    except _SlowPath:
        db.session.rollback()
        current_app.logger.warning("sync push: fast path failed; applying one by one")
        results = _run(user, client_id, envelopes, now_ms, fast=False)
    return results


def _run(
    user: User, client_id: str, envelopes: list[dict[str, Any]], now_ms: int, fast: bool
) -> list[dict[str, Any]]:
    valid = [env for env in envelopes if "error" not in env]
    stored = _stored_results([str(env["id"]) for env in valid])
    batch = _preloaded(user, valid, fast)
    results: list[dict[str, Any]] = []
    answered: list[tuple[dict[str, Any], Any]] = []
    remembered: list[dict[str, Any]] = []
    echoes: list[tuple[dict[str, Any], dict[str, Any]]] = []  # repeats within this batch
    for env in envelopes:
        if "error" in env:
            results.append(env["error"])
            continue
        mutation_id = str(env["id"])
        if mutation_id in stored:
            first = stored[mutation_id]
            # A repeat's conflicts are read back; that read must not write the fast path's
            # held-back creates (a failure there would be no mutation's to answer).
            with db.session.no_autoflush:
                results.append(_repeat(user, mutation_id, *first))
            if any(first[1] is mine for mine in remembered):
                echoes.append((results[-1], first[1]))
            continue
        result, record = _apply(user, client_id, mutation_id, env, now_ms, batch)
        results.append(result)
        if record is not None:
            answered.append((result, record))
        if result.get("error", {}).get("code") not in NOT_FINAL:
            stored[mutation_id] = (user.id, result)
            remembered.append(result)
    _fill_versions(batch, answered)
    for echo, first_result in echoes:
        echo["version"] = first_result.get("version")
    if remembered:
        try:
            db.session.execute(
                insert(SYNC_TABLES.mutation),
                [
                    {
                        "id": result["id"],
                        "client_id": client_id,
                        "user_id": user.id,
                        "result": _without_content(result),
                        "created_at": utcnow(),
                    }
                    for result in remembered
                ],
            )
        except IntegrityError as exc:
            # Another delivery of these mutations (a retry while this one ran) stored its
            # answers first: applied again, they are answered as its repeats.
            if batch.fast:
                raise _SlowPath from exc
            raise
    batch.write_audit()
    return results


def _envelope(raw: Any, check_text: bool) -> dict[str, Any]:
    mid = raw.get("id") if isinstance(raw, dict) else None
    mid = mid if isinstance(mid, str) and not (check_text and problems(mid)) else None
    bad_text = problems(raw, texts=check_text)  # the body parser leaves mutations to us
    if bad_text:
        # A record's own fields are named as the entity's schema names them ("text"), like
        # every other field error of a mutation, so the tablet can show it at that field.
        named = {path.removeprefix("fields."): msgs for path, msgs in bad_text.items()}
        return {
            "error": _rejected(
                mid, "invalid", "The mutation holds text that cannot be stored.", named
            )
        }
    try:
        env: dict[str, Any] = _ENVELOPE.load(raw if isinstance(raw, dict) else {})
    except ValidationError as exc:
        return {
            "error": _rejected(
                mid, "invalid", "The mutation is malformed.", flatten_messages(exc.messages)
            )
        }
    if env["op"] == "upsert" and not env["changes"]:
        # An upsert that changes nothing is a client bug, not a change: say so instead of
        # answering "applied" for something that did not happen.
        return {
            "error": _rejected(
                mid,
                "invalid",
                "The mutation changes no field.",
                {"fields": ["Name at least one field to change."]},
            )
        }
    return env


def _repeat(user: User, mutation_id: str, user_id: str, result: dict[str, Any]) -> dict[str, Any]:
    if user_id != user.id:
        return _rejected(
            mutation_id,
            "mutation_id_taken",
            "This mutation id was used by someone else.",
            {"id": ["Taken."]},
        )
    first = result.get("first_status", result["status"])
    repeat = {**result, "status": "duplicate", "first_status": first}
    conflicts = result.get("conflicts") or []
    if conflicts and isinstance(conflicts[0], str):  # as stored: ids only
        repeat["conflicts"] = describe_stored(conflicts)
    return repeat


def _preloaded(user: User, envelopes: list[dict[str, Any]], fast: bool) -> Batch:
    batch = Batch(user, fast=fast)
    by_entity: dict[str, list[str]] = {}
    for env in envelopes:
        if env["entity"] in KINDS:
            by_entity.setdefault(env["entity"], []).append(str(env["record_id"]))
    for entity, ids in by_entity.items():
        batch.preload(KINDS[entity], ids)
    return batch


def _apply(
    user: User, client_id: str, mutation_id: str, env: dict[str, Any], now_ms: int, batch: Batch
) -> tuple[dict[str, Any], Any]:
    """The mutation's answer, and the record it changed (None when rejected)."""
    kind = KINDS.get(env["entity"])
    if kind is None:
        return _rejected(
            mutation_id,
            "unknown_entity",
            "This kind of record cannot be synced.",
            {"entity": ["Unknown entity."]},
        ), None
    try:
        stamp = clamp(parse(env["clock"]), now_ms)
    except ValueError as exc:
        return _rejected(
            mutation_id, "invalid", "The mutation is malformed.", {"clock": [str(exc)]}
        ), None
    mutation = write.Mutation(
        record_id=str(env["record_id"]),
        op=env["op"],
        fields=env["changes"],
        base_version=env["base_version"],
        stamp=stamp,
        client_id=client_id,
    )
    audited = len(batch.audit)
    savepoint = None
    if not batch.can_skip_savepoint(kind):
        _flush_unsaved(batch)  # earlier fast creates go in outside this mutation's savepoint
        savepoint = db.session.begin_nested()
    try:
        outcome = write.apply(kind, user, mutation, batch)
    except (ApiError, ValidationError) as exc:
        # Without a savepoint, the write path raises these before touching the session.
        if savepoint is not None:
            savepoint.rollback()
        del batch.audit[audited:]
        return _refusal(mutation_id, exc), None
    except Exception as exc:
        if savepoint is None:
            raise _SlowPath from exc
        # A bug must not block the device's queue behind this one mutation (PROTOCOL.md 6).
        savepoint.rollback()
        del batch.audit[audited:]
        current_app.logger.exception("sync mutation %s failed", mutation_id)
        return _rejected(
            mutation_id,
            "server_error",
            "The server failed on this change; it is kept and sent again later.",
        ), None
    if savepoint is not None:
        savepoint.commit()
    return {
        "id": mutation_id,
        "status": outcome.status,
        "version": None,
        "conflicts": outcome.conflicts,
    }, outcome.record


def _refusal(mutation_id: str, exc: ApiError | ValidationError) -> dict[str, Any]:
    if isinstance(exc, ApiError):
        return _rejected(mutation_id, exc.code, exc.message, exc.fields)
    return _rejected(
        mutation_id, "invalid", "Some fields are not valid.", flatten_messages(exc.messages)
    )


def _flush_unsaved(batch: Batch) -> None:
    """Write what the fast path holds back. Several mutations' rows go to the database at
    once here, so a failure (the database refusing a row, a fault in a hook) cannot be
    answered per mutation: the batch is applied again, a savepoint each (``_SlowPath``)."""
    if not batch.fast:
        db.session.flush()  # every change was written in its savepoint already
        return
    try:
        db.session.flush()
    except Exception as exc:
        raise _SlowPath from exc


def _fill_versions(batch: Batch, answered: list[tuple[dict[str, Any], Any]]) -> None:
    """Each answer's version: the record's version once the whole batch is written."""
    _flush_unsaved(batch)
    # Versions are incremented by the database; read the changed ones back in one query
    # per kind (loading a row refreshes its expired attributes in the session).
    stale: dict[type[Any], list[str]] = {}
    for _, record in answered:
        if "version" in inspect(record).expired_attributes:
            stale.setdefault(type(record), []).append(record.id)
    for model, ids in stale.items():
        db.session.scalars(select(model).where(model.id.in_(ids))).all()
    for result, record in answered:
        result["version"] = record.version


def _without_content(result: dict[str, Any]) -> dict[str, Any]:
    """The answer as stored: a conflict is kept as its id, never its values, so that the
    values go when the conflict does (retention) and nothing else keeps a copy."""
    if not result.get("conflicts"):
        return result
    return {**result, "conflicts": [c["id"] for c in result["conflicts"]]}


def _stored_results(ids: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The stored answers of mutations seen before, by id (one query for the batch)."""
    if not ids:
        return {}
    table = SYNC_TABLES.mutation
    session = db.session()
    rows = db.session.execute(
        select(table.c.id, table.c.user_id, table.c.result).where(among(session, table.c.id, ids))
    )
    return {row.id: (row.user_id, dict(row.result)) for row in rows}


def _rejected(
    mutation_id: str | None,
    code: str,
    message: str,
    field_errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    return {
        "id": mutation_id,
        "status": "rejected",
        "error": {"code": code, "message": message, "fields": field_errors or {}},
    }
