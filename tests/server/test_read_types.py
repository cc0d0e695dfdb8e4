"""The tablet's read types (``pwa/src/contract/contract.gen.ts``: a type per record kind, and
the sync envelope) tell the truth: what a real pull sends and a real push answers has exactly
the fields, and the types, that the generated file gives the tablet.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Flask
from marshmallow import Schema

from server import contract
from server.extensions import ErrorDetail
from server.sync.protocol import PushResultSchema, WirePurgeSchema, WireRecordSchema
from tests.server.records import every_kind_of_record
from tests.server.syncclient import Device


def allows(ts_type: str, value: Any) -> bool:
    """Whether a value is of a TypeScript type as the generator writes it."""
    for part in ts_type.split(" | "):
        if part == "unknown" or (part == "null" and value is None):
            return True
        if part == "string" and isinstance(value, str):
            return True
        if part == "boolean" and isinstance(value, bool):
            return True
        if part == "number" and isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if part.startswith('"') and value == json.loads(part):
            return True
    return False


def loads(schema: type[Schema], data: dict[str, Any]) -> None:
    """The envelope schema takes it as it is: no field missing, none unknown."""
    schema().load(data)  # marshmallow refuses unknown fields by default


def test_every_record_a_pull_sends_is_its_kinds_type(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    records = {
        name: spec["record"] for name, spec in contract.build(app).items() if "record" in spec
    }
    every_kind_of_record(as_user, app, demo)  # a photo, a conflict, a deleted note among them
    seen: set[str] = set()
    for user in ("familie", "paedagog"):  # a conflict goes to its author only
        for change in Device(as_user(user)).pull():
            if change["entity"] == "scope":
                loads(WirePurgeSchema, change)
                continue
            loads(WireRecordSchema, change)
            kind, fields = change["entity"], change["fields"]
            assert set(fields) == set(records[kind]), kind  # every field typed, none made up
            for name, spec in records[kind].items():
                assert allows(spec["type"], fields[name]), (kind, name, fields[name], spec["type"])
            seen.add(kind)
    assert seen == set(records)  # every kind the tablet has a type for was compared


def test_every_push_answer_is_the_envelopes_type(as_user: Any, demo: dict[str, Any]) -> None:
    tablet = Device(as_user("familie"))
    note = str(uuid.uuid4())
    tablet.upsert("board_note", note, meeting_id=demo["meeting"], column="working", text="ok")
    tablet.upsert("board_note", str(uuid.uuid4()), meeting_id=demo["meeting"], column="x")
    tablet.upsert("no_such_kind", str(uuid.uuid4()), text="x")
    sent = list(tablet.outbox)
    first = tablet.push()
    tablet.outbox = sent[:1]
    again = tablet.push()  # the same mutation again: answered as a duplicate
    assert [r["status"] for r in [*first, *again]] == [
        "applied",
        "rejected",
        "rejected",
        "duplicate",
    ]
    for result in [*first, *again]:
        loads(PushResultSchema, result)
        if "error" in result:
            loads(ErrorDetail, result["error"])
