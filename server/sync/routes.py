"""The sync endpoints: pull and push."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import defer

from server import audit
from server.access import child_of_course
from server.auth.current import current_user
from server.errors import ApiError
from server.extensions import compress, db
from server.models import SYNC_TABLES
from server.ops import metrics
from server.records.json_input import CHECKED_PER_ITEM, may_hold_bad_text
from server.records.json_output import json_response, stored
from server.records.kind import Kind
from server.sync.conflicts import CONFLICT
from server.sync.documents import shapes
from server.sync.protocol import (
    ONE_OF,
    PushResultSchema,
    WirePurgeSchema,
    WireRecordSchema,
    check_protocol_version,
)
from server.sync.push import MutationSchema, push
from server.sync.scopes import readable_scopes
from server.sync.wire import KINDS, to_wire_many
from sync import cursor as cursors
from sync import history
from sync.pull import ChangeRef, read_page
from sync.sql import among

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Offline sync")

MAX_PULL_LIMIT = 1000

log = logging.getLogger(__name__)


class PullArgs(Schema):
    cursor = fields.String(load_default="")
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1))


class PushBody(Schema):
    """A push: this installation's queued changes, oldest first."""

    client_id = fields.UUID(required=True, metadata={"description": "This installation's id"})
    # Each mutation is checked on its own (server/sync/push.py): one bad one is refused alone.
    mutations = fields.List(
        fields.Raw(metadata={ONE_OF: (MutationSchema,)}),
        required=True,
        metadata={CHECKED_PER_ITEM: True},
    )


class PushAnswer(Schema):
    """A push's answer: one result per mutation, in the order sent."""

    results = fields.List(fields.Dict(metadata={ONE_OF: (PushResultSchema,)}), required=True)


class PullPage(Schema):
    """A page of changes since the cursor; ``more``: pull again with the new cursor."""

    changes = fields.List(
        fields.Dict(metadata={ONE_OF: (WireRecordSchema, WirePurgeSchema)}), required=True
    )
    cursor = fields.String(required=True)
    more = fields.Boolean(required=True)


def cursor_key() -> bytes:
    return f"cursor:{current_app.config['SECRET_KEY']}".encode()


@blp.route("/pull")
class Pull(MethodView):
    # Compressed when the client accepts it: a page holds no secret (see server/config.py).
    decorators = [compress.compressed()]

    @blp.arguments(PullArgs)
    @blp.response(200, PullPage)
    def post(self, args: dict[str, Any]) -> Response:
        """Changes since the cursor in everything you may read, a page at a time.

        The cursor goes in the body: it grows with the number of courses you may read. A
        record appears at most once per page, in its latest state. Scopes you can no
        longer read come back as ``{"entity": "scope", "id": <scope>, "deleted": true,
        "reason": "access_ended"}``: delete everything of that scope on the device.
        ``400 bad_cursor``: pull again from the start, taking the server's copies as
        they are (after a restore they may be older than yours).
        """
        return _pull(args)

    @blp.arguments(PullArgs, location="query")
    @blp.response(200, PullPage)
    @blp.doc(deprecated=True)
    def get(self, args: dict[str, Any]) -> Response:
        """The same as POST, with the cursor in the query (earlier app versions).

        A request line has a limit (8,190 bytes: ``414``), which the cursor of a user who
        may read some fifty courses or more passes; clients send POST.
        """
        return _pull(args)


def _pull(args: dict[str, Any]) -> Response:
    check_protocol_version()
    user = current_user()
    if args["limit"] > MAX_PULL_LIMIT:
        raise ApiError(
            413,
            f"A pull page holds at most {MAX_PULL_LIMIT} changes.",
            "too_large",
            {"limit": [f"At most {MAX_PULL_LIMIT}."]},
        )
    try:
        cursor = cursors.decode(args["cursor"], cursor_key())
        page = read_page(db.session(), SYNC_TABLES, cursor, readable_scopes(user), args["limit"])
    except cursors.BadCursor as exc:
        db.session.rollback()
        if isinstance(exc, history.CursorAhead):
            _new_history(user.id, exc)
        raise ApiError(
            400,
            "The sync cursor is not valid; pull again from the start.",
            "bad_cursor",
            {"cursor": ["Not a cursor from this server."]},
        ) from exc
    changes: list[Any] = [
        {"entity": "scope", "id": scope, "deleted": True, "reason": "access_ended"}
        for scope in page.purged_scopes
    ]
    records = _load(page.changes)
    changes += records
    db.session.commit()
    metrics.count_pull(len(records), len(page.purged_scopes))
    # Sent as it is: dumping 1,000 records again through PullPage's List(Dict) only copied
    # them (the schema still documents the answer).
    return json_response(
        {"changes": changes, "cursor": cursors.encode(page.cursor, cursor_key()), "more": page.more}
    )


def _new_history(user_id: str, exc: Exception) -> None:
    """A cursor ahead of the change counter: the database was restored behind the clients'
    backs. Every cursor issued before is refused from now on (sync/history.py)."""
    history.start_new(db.session(), SYNC_TABLES)
    db.session.commit()
    log.warning(
        "sync: a new change history began (a restored database?): %s; user %s", exc, user_id
    )


@blp.route("/push")
class Push(MethodView):
    @blp.arguments(PushBody)
    @blp.response(200, PushAnswer)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Apply queued changes: one result per mutation, in order.

        Each mutation is applied at most once (a repeat answers ``duplicate`` with the
        first result), in its own savepoint: a rejected one does not stop the others.
        """
        check_protocol_version()
        user = current_user()
        results = push(
            user,
            str(body["client_id"]),
            body["mutations"],
            time.time_ns() // 1_000_000,
            check_text=may_hold_bad_text(request.get_data(cache=True)),
        )
        db.session.commit()
        metrics.count_push(results)
        return {"results": results}


def _load(refs: list[ChangeRef]) -> list[Any]:
    """The current state of each referenced record, in sequence order; audited per child
    (once a day per device: audit.record_fetches).

    A record whose wire JSON the change log kept (server/sync/documents.py) is sent as that
    text; the others are read from their tables and dumped by marshmallow."""
    current = shapes()
    out: list[Any] = [None] * len(refs)
    by_entity: dict[str, list[int]] = defaultdict(list)
    per_scope: dict[str, int] = defaultdict(int)
    for at, ref in enumerate(refs):
        if ref.doc is not None and current.get(ref.entity) == ref.doc_shape:
            out[at] = stored(ref.doc)
            per_scope[ref.scope] += 1
        else:
            by_entity[ref.entity].append(at)
    per_child: dict[str, int] = defaultdict(int)
    for scope, count in per_scope.items():
        per_child[child_of_scope(scope)] += count
    session = db.session()
    for entity, positions in by_entity.items():
        kind = KINDS[entity]
        at_of = {refs[at].record_id: at for at in positions}
        children = _ChildOf(kind)
        # field_clocks are the merge's business, not the device's: do not even read them.
        objs = session.scalars(
            select(kind.model)
            .where(among(session, kind.model.id, list(at_of)))
            .options(defer(kind.model.field_clocks))
        ).all()
        for obj, record in zip(objs, to_wire_many(kind, objs), strict=True):
            out[at_of[obj.id]] = record
            per_child[children.of(obj, record["scope"])] += 1
    audit.record_fetches(per_child)  # one entry per device, child and day
    return [record for record in out if record is not None]


def child_of_scope(scope: str) -> str:
    """Whose child the records of a course's or a child's scope are about (every record of
    such a scope is about the same child: see ``_ChildOf``)."""
    kind, _, key = scope.partition(":")
    if kind == "child":
        return key
    if kind == "course":
        return child_of_course(key)
    raise ValueError(f"no child for scope {scope!r}")  # conflicts have no documents


class _ChildOf:
    """Whose child a record's data is, for the audit entry. Every record of a scope is about
    the same child — except conflicts, whose scope is their author's — so it is asked once
    per scope."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.per_scope: dict[str, str] | None = None if kind is CONFLICT else {}

    def of(self, record: Any, scope: str) -> str:
        if self.per_scope is None:
            return self.kind.child_id_of(record)
        child = self.per_scope.get(scope)
        if child is None:
            child = self.per_scope[scope] = self.kind.child_id_of(record)
        return child
