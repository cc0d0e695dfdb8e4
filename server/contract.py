"""The tablet's contract: every rule the server applies to a single record, generated from
the server's own schemas for the PWA (``pwa/src/contract/contract.gen.ts``).

The field rules are read from the OpenAPI document that apispec makes of the marshmallow
schemas (the same converter that writes ``/api/openapi.json``); what a record kind adds —
its parent, the fields fixed after creation, the roles that may write it — comes from the
kind registry. A rule the document cannot express (a custom validator, a schema-level
check) stops the generator, so the tablet never silently lacks a rule the server applies.

The same file carries what the tablet reads: one type per record kind, its fields as a pull
sends them (every field the kind's schema dumps), and the envelope of a pull and a push,
from the sync protocol's schemas (``server/sync/protocol.py``, ``routes.py``): the tablet's
``sync/protocol.ts`` re-exports them instead of writing them again.

``flask --app server contract`` writes the file; ``--check`` exits non-zero when the file
differs from what the server's schemas give (``tests/server/test_contract.py`` runs it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_type_hints

from flask import Flask
from marshmallow import Schema, fields, validate

from server.config import ROOT
from server.records.schemas import PAST_YEARS, WRITTEN_NOT_NULL, PastYears

TARGET = ROOT / "pwa" / "src" / "contract" / "contract.gen.ts"
REGENERATE = "make contract"

# Every record carries these; the client never sends them as fields (the record's id is the
# mutation's record_id, the rest is server bookkeeping).
RECORD_META = ("id", "version", "created_at", "updated_at", "deleted")

# Validators the OpenAPI document expresses exactly (checked in ``audit_schema``).
_EXPRESSED = (validate.Length, validate.OneOf, validate.Regexp, validate.Email)
_FIELD_TYPES: tuple[type[Any], ...] = (
    fields.String,
    fields.Integer,
    fields.Float,
    fields.Boolean,
    fields.Date,
    fields.DateTime,
    fields.UUID,
)
_KEYS = (
    "type",
    "format",
    "nullable",
    "minLength",
    "maxLength",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "x-minimum",
    "x-maximum",
    PAST_YEARS,  # a date from so many years before today up to today (records/schemas.py)
)


class UnexpressedRule(Exception):
    """A schema applies a rule the contract cannot carry to the tablet."""


def forms() -> dict[str, type[Schema]]:
    """Forms the tablet sends over REST that are not synced record kinds."""
    from server.courses.schemas import AttachmentFormSchema

    return {"attachment_form": AttachmentFormSchema}


def build(app: Flask) -> dict[str, Any]:
    """The contract: per record kind (and form), its fields' rules and the kind's own rules."""
    from server.kinds import KINDS

    with app.test_request_context():
        from server.extensions import api_of

        spec = api_of(app).spec
        document = spec.to_dict()["components"]["schemas"]
        plugin = next(p for p in spec.plugins if hasattr(p, "converter"))
        entities: dict[str, Any] = {}
        for name in sorted(KINDS):
            kind = KINDS[name]
            audit_schema(kind.schema)
            component = _component(plugin, document, kind.schema)
            entities[name] = {
                "parent": kind.parent_field,
                "fixed": sorted(kind.fixed),
                "writers": sorted(kind.writer_roles),
                "fields": _fields(component, set(KINDS), _foreign_kinds(kind.model, KINDS)),
                "record": _record(component, kind.schema),
            }
        for name, schema in sorted(forms().items()):
            audit_schema(schema)
            entities[name] = {
                "parent": None,
                "fixed": [],
                "writers": None,
                "fields": _fields(_component(plugin, document, schema), set(), {}),
            }
    return entities


def audit_schema(schema: type[Schema]) -> None:
    """Refuse a schema whose rules the OpenAPI document would not carry in full."""
    hooks = getattr(schema, "_hooks", {})
    if hooks.get("validates_schema"):
        raise UnexpressedRule(f"{schema.__name__} has a schema-level validator")
    checked = {name for _, _, kw in hooks.get("validates", []) for name in kw["field_names"]}
    for name, field in schema._declared_fields.items():
        if field.dump_only or name in RECORD_META:
            continue
        where = f"{schema.__name__}.{name}"
        if not isinstance(field, _FIELD_TYPES):
            raise UnexpressedRule(f"{where}: field type {type(field).__name__}")
        regexes = 0
        for validator in field.validators:
            if not _expressed(field, validator):
                raise UnexpressedRule(f"{where}: validator {validator!r}")
            regexes += isinstance(validator, validate.Regexp)
        if regexes > 1:
            raise UnexpressedRule(f"{where}: more than one pattern")
        if name in checked:
            raise UnexpressedRule(f"{where}: a @validates method")
        if isinstance(field, fields.DateTime) and not isinstance(field, fields.AwareDateTime):
            # The tablet always sends times with a zone; a naive-only field would refuse them.
            raise UnexpressedRule(f"{where}: a time without time zone")
        if isinstance(field, fields.Float) and field.allow_nan:
            raise UnexpressedRule(f"{where}: a number that may be NaN")


def _expressed(field: fields.Field[Any], validator: Any) -> bool:
    """Whether the OpenAPI document states this validator of the field exactly."""
    if isinstance(validator, _EXPRESSED):
        return True
    if isinstance(validator, validate.Range):
        return bool(validator.min_inclusive and validator.max_inclusive)
    # Relative to today: carried by the field's own key, which must say the same years.
    return isinstance(validator, PastYears) and field.metadata.get(PAST_YEARS) == validator.years


def _component(plugin: Any, document: dict[str, Any], schema: type[Schema]) -> dict[str, Any]:
    """The schema as the API document has it (converted the same way when not listed)."""
    from apispec.ext.marshmallow.common import make_schema_key

    instance = schema()
    name = plugin.converter.refs.get(make_schema_key(instance))
    if name and name in document:
        component: dict[str, Any] = document[name]
        return component
    converted: dict[str, Any] = plugin.converter.schema2jsonschema(instance)
    return converted


def _foreign_kinds(model: type[Any], kinds: dict[str, Any]) -> dict[str, str]:
    """Column → the record kind its foreign key names (``carried_from_id`` → agreement)."""
    by_table = {kind.model.__tablename__: name for name, kind in kinds.items()}
    found = {}
    for column in model.__table__.columns:
        for key in column.foreign_keys:
            if key.column.table.name in by_table:
                found[column.name] = by_table[key.column.table.name]
    return found


def _fields(
    component: dict[str, Any], entities: set[str], foreign: dict[str, str]
) -> dict[str, Any]:
    required = set(component.get("required", []))
    result: dict[str, Any] = {}
    for name, prop in component.get("properties", {}).items():
        if prop.get("readOnly") or name in RECORD_META:
            continue
        rule = {key: prop[key] for key in _KEYS if key in prop}
        if prop.get(WRITTEN_NOT_NULL):  # null in old records read, never in a change
            rule.pop("nullable", None)
        if "enum" in rule:
            rule["enum"] = [v for v in rule["enum"] if v is not None]
        if name in required:
            rule["required"] = True
        target = foreign.get(name) or name.removesuffix("_id")
        if name.endswith("_id") and target in entities:
            rule["ref"] = target  # the record it names must exist (and be readable)
        result[name] = rule
    return result


def _record(component: dict[str, Any], schema: type[Schema]) -> dict[str, Any]:
    """Every field a pull sends of the kind, as its schema dumps it: the TypeScript type and
    whether a record can lack it — a field a creation may leave out (filled by the server)
    or one only the server sets is absent from a record made on this device until the
    server's copy arrives."""
    required = set(component.get("required", []))
    declared = {f.data_key or n: f for n, f in schema._declared_fields.items()}
    result: dict[str, Any] = {}
    for name, prop in component.get("properties", {}).items():
        if name in RECORD_META:
            continue
        field = declared[name]
        if "type" in prop or "enum" in prop:
            ts = _ts_type(
                {**prop, "enum": [v for v in prop["enum"] if v is not None]}
                if "enum" in prop
                else prop
            )
        elif isinstance(field, fields.Method):
            ts = _method_type(schema, field)
        elif isinstance(field, fields.Raw) and type(field) is fields.Raw:
            ts = "unknown"
        else:
            raise UnexpressedRule(f"{schema.__name__}.{name}: no type for the tablet")
        result[name] = {"type": ts, "always": name in required and not prop.get("readOnly", False)}
    return result


def _method_type(schema: type[Schema], field: fields.Method) -> str:
    """A computed field's type, from its method's return annotation."""
    method = getattr(schema, field.serialize_method_name or "")
    returns = get_type_hints(method).get("return")
    if returns not in _PY_TS:
        raise UnexpressedRule(
            f"{schema.__name__}.{field.serialize_method_name}: "
            f"returns {returns!r}, not a plain value"
        )
    return _PY_TS[returns]


_PY_TS: dict[Any, str] = {bool: "boolean", str: "string", int: "number", float: "number"}


def render(contract: dict[str, Any]) -> str:
    """The TypeScript module: the table of rules and one field type per record kind."""
    lines = [
        "// GENERATED from the server's schemas by server/contract.py. Do not edit: change the",
        f"// server's schema and run `{REGENERATE}` (a test fails while this file differs).",
        "",
        'import type { Contract } from "./types";',
        "",
        "export const CONTRACT = {",
        *_table(contract),
        "} as const satisfies Contract;",
        "",
        "export type Entity = keyof typeof CONTRACT;",
    ]
    for entity, spec in sorted(contract.items()):
        lines += [
            "",
            f"/** What a mutation may set on a `{entity}`. */",
            f"export interface {_pascal(entity)}Fields {{",
        ]
        for name, rule in sorted(spec["fields"].items()):
            optional = "" if rule.get("required") else "?"
            lines.append(f"  {name}{optional}: {_ts_type(rule)};")
        lines.append("}")
    lines += ["", "/** The field types by record kind. */", "export interface FieldsOf {"]
    lines += [f"  {entity}: {_pascal(entity)}Fields;" for entity in sorted(contract)]
    lines += ["}"]
    kinds = sorted(entity for entity, spec in contract.items() if "record" in spec)
    for entity in kinds:
        # A type alias, not an interface: it is then also a Record<string, unknown>, which
        # the generic store (sync/store.ts) keeps every kind's fields as.
        lines += [
            "",
            f"/** `{entity}`: its fields as a pull sends them and the tablet keeps. */",
            f"export type {_pascal(entity)}Record = {{",
        ]
        for name, field in sorted(contract[entity]["record"].items()):
            lines.append(f"  {name}{'' if field['always'] else '?'}: {field['type']};")
        lines.append("};")
    lines += ["", "/** The record types by synced kind. */", "export interface RecordOf {"]
    lines += [f"  {entity}: {_pascal(entity)}Record;" for entity in kinds]
    lines += ["}", "", "export type RecordKind = keyof RecordOf;"]
    lines += _envelope()
    return "\n".join([*lines, ""])


def envelope() -> dict[str, type[Schema]]:
    """The sync envelope's schemas, by the name the tablet knows each by."""
    from server.extensions import ErrorDetail
    from server.sync.protocol import (
        ConflictNoteSchema,
        PushResultSchema,
        WirePurgeSchema,
        WireRecordSchema,
    )
    from server.sync.push import MutationSchema
    from server.sync.routes import PullPage, PushAnswer, PushBody

    return {
        "ApiErrorBody": ErrorDetail,
        "WireRecord": WireRecordSchema,
        "WirePurge": WirePurgeSchema,
        "PullPage": PullPage,
        "WireMutation": MutationSchema,
        "PushBody": PushBody,
        "ConflictNote": ConflictNoteSchema,
        "PushResult": PushResultSchema,
        "PushAnswer": PushAnswer,
    }


def answers() -> dict[str, type[Schema]]:
    """Other answers the tablet reads, by the name it knows each by."""
    from server.auth.schemas import SessionSchema, SessionUserSchema

    return {"SessionUser": SessionUserSchema, "Session": SessionSchema}


def _envelope() -> list[str]:
    """One interface per envelope (and answer) schema, field by field as marshmallow sends it."""
    from server.sync.protocol import ONE_OF

    shapes = {**envelope(), **answers()}
    named = {schema: name for name, schema in shapes.items()}

    def ts(field: fields.Field[Any]) -> str:
        if ONE_OF in field.metadata:
            base = " | ".join(named[s] for s in field.metadata[ONE_OF])
        elif isinstance(field, fields.Nested):
            base = named[field.nested]  # type: ignore[index] # a schema class, as declared
        elif isinstance(field, fields.List):
            inner = ts(field.inner)
            base = f"({inner})[]" if " " in inner else f"{inner}[]"
        elif isinstance(field, fields.Dict):
            base = f"Record<string, {ts(field.value_field) if field.value_field else 'unknown'}>"
        elif isinstance(field, fields.Constant):
            base = json.dumps(field.constant)
        elif isinstance(field, fields.String | fields.UUID | fields.DateTime | fields.Date):
            choices = [v for v in field.validators if isinstance(v, validate.OneOf)]
            base = " | ".join(json.dumps(c) for c in choices[0].choices) if choices else "string"
        elif isinstance(field, fields.Integer | fields.Float):
            base = "number"
        elif isinstance(field, fields.Boolean):
            base = "boolean"
        elif type(field) is fields.Raw:
            base = "unknown"
        else:
            raise UnexpressedRule(f"envelope field {field!r}: no TypeScript type")
        return f"{base} | null" if field.allow_none and base != "unknown" else base

    lines = []
    for name, schema in shapes.items():
        summary = (schema.__doc__ or "").strip().splitlines()[0].replace("``", "`")
        lines += ["", f"/** {summary} */", f"export interface {name} {{"]
        for key, field in schema().fields.items():
            optional = "" if field.required else "?"
            lines.append(f"  {field.data_key or key}{optional}: {ts(field)};")
        lines.append("}")
    return lines


def _table(contract: dict[str, Any]) -> list[str]:
    """One line per field rule, so a changed rule is a one-line diff."""

    def js(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    lines = []
    for entity, spec in sorted(contract.items()):
        lines.append(f"  {js(entity)}: {{")
        lines += [f"    {js(key)}: {js(spec[key])}," for key in ("parent", "fixed", "writers")]
        lines.append('    "fields": {')
        lines += [f"      {js(name)}: {js(rule)}," for name, rule in sorted(spec["fields"].items())]
        lines += ["    },", "  },"]
    return lines


def _ts_type(rule: dict[str, Any]) -> str:
    if "enum" in rule:
        base = " | ".join(json.dumps(v, ensure_ascii=False) for v in rule["enum"])
    else:
        base = {"integer": "number", "number": "number", "boolean": "boolean"}.get(
            rule.get("type", "string"), "string"
        )
    return f"{base} | null" if rule.get("nullable") else base


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def generate(app: Flask) -> str:
    """The file's text as the server's schemas give it now."""
    return render(build(app))


def matches(app: Flask, target: Path = TARGET) -> bool:
    """Whether the checked-in file is what the server's schemas give now."""
    return target.is_file() and target.read_text(encoding="utf-8") == generate(app)


def write(app: Flask, target: Path = TARGET) -> bool:
    """Write the file; True when it changed."""
    text = generate(app)
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True
