"""The schemas state every limit the database has (issue 11 §1: the tablet learns the rules
from the schemas, and issue 10 item 6: a value the database refuses is a 500).

For every column a schema loads: a string fits the column's length, an integer the column's
range, a nullable field matches a nullable column — checked from the models' own metadata.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import JSON, BigInteger, Integer, String

from server.institutions.schemas import InstitutionSchema
from server.kinds import ALL_KINDS
from server.models import Institution, User
from server.sync.conflicts import CONFLICT
from server.users.schemas import UserCreateSchema, UserPatchSchema

INT_RANGES = {Integer: (-(2**31), 2**31 - 1), BigInteger: (-(2**63), 2**63 - 1)}
PAIRS: list[tuple[type[Schema], type[Any]]] = [
    *((kind.schema, kind.model) for kind in (*ALL_KINDS, CONFLICT)),
    (UserCreateSchema, User),
    (UserPatchSchema, User),
    (InstitutionSchema, Institution),
]


def _validators(field: fields.Field[Any], kind: type[Any]) -> list[Any]:
    return [v for v in field.validators if isinstance(v, kind)]


def _loadable(schema: type[Schema], model: type[Any]) -> list[tuple[str, Any, Any]]:
    table: Any = model.__table__
    return [
        (name, field, table.columns[field.attribute or name])
        for name, field in schema().fields.items()
        if not field.dump_only and (field.attribute or name) in table.columns
    ]


def test_every_loaded_string_fits_its_column() -> None:
    too_long = []
    for schema, model in PAIRS:
        for name, field, column in _loadable(schema, model):
            length = getattr(column.type, "length", None)
            if not isinstance(column.type, String) or length is None:
                continue
            lengths = _validators(field, validate.Length)
            limits = [
                v.max if v.equal is None else v.equal
                for v in lengths
                if v.max is not None or v.equal is not None
            ]
            if isinstance(field, fields.UUID):
                limits.append(36)
            if isinstance(field, fields.String) and _validators(field, validate.OneOf):
                limits.append(max(len(c) for c in _validators(field, validate.OneOf)[0].choices))
            if not limits or min(limits) > length:
                too_long.append(f"{schema.__name__}.{name} (column {length})")
    assert too_long == []


def test_every_loaded_integer_fits_its_column() -> None:
    unbounded = []
    for schema, model in PAIRS:
        for name, field, column in _loadable(schema, model):
            bounds = next((r for t, r in INT_RANGES.items() if type(column.type) is t), None)
            if bounds is None or not isinstance(field, fields.Integer):
                continue
            ranges = _validators(field, validate.Range)
            low = max((r.min for r in ranges if r.min is not None), default=None)
            high = min((r.max for r in ranges if r.max is not None), default=None)
            if low is None or high is None or low < bounds[0] or high > bounds[1]:
                unbounded.append(f"{schema.__name__}.{name}")
    assert unbounded == []


def test_nullable_fields_are_nullable_columns_and_the_reverse() -> None:
    """A field that may be null in the document is a column that may be null, and a column
    that may be null is documented so (the API document's nullability, issue 10 item 10)."""
    mismatched = []
    for schema, model in PAIRS:
        table: Any = model.__table__
        for name, field in schema().fields.items():
            column = table.columns.get(field.attribute or name)
            if column is None or column.primary_key or isinstance(column.type, JSON):
                continue  # a JSON column holds JSON null in a NOT NULL column
            if bool(field.allow_none) != bool(column.nullable):
                mismatched.append(
                    f"{schema.__name__}.{name}: field allow_none="
                    f"{field.allow_none}, column nullable={column.nullable}"
                )
    assert mismatched == []
