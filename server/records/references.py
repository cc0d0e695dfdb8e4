"""References to other rows, checked as field errors before the database sees them.

Derived from the models' foreign keys, so a new reference column is checked without anyone
remembering to list it. A reference to a row that does not exist — or that holds child data
the caller may not read (the same 404 rule as everywhere) — is refused as ``invalid`` with a
message on the field: the database would refuse it anyway, but as a server error, which a
tablet would send again forever.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import Table, select

from server import access
from server.extensions import Base, db
from server.records.batch import Batch
from server.records.kind import Kind

NOT_FOUND = "Does not exist."


_REFERENCES: dict[str, dict[str, Table]] = {}


def reference_columns(kind: Kind) -> dict[str, Table]:
    """Field name → the table it refers to, for every foreign key of the kind's table except
    the parent's (the parent is checked, with its access rule, by ``Kind.load_parent``)."""
    if kind.name not in _REFERENCES:
        table: Any = kind.model.__table__
        _REFERENCES[kind.name] = {
            column.name: next(iter(column.foreign_keys)).column.table
            for column in table.columns
            if column.foreign_keys and column.name != kind.parent_field
        }
    return _REFERENCES[kind.name]


@cache
def _model_of(table: Table) -> type[Any] | None:
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            model: type[Any] = mapper.class_
            return model
    return None


def check_references(kind: Kind, data: dict[str, Any], batch: Batch, current: Any = None) -> None:
    """Refuse values of reference fields that name no row the caller may refer to.

    Values equal to the record's ``current`` ones are not asked again (they were checked
    when they were set)."""
    errors: dict[str, list[str]] = {}
    for name, table in reference_columns(kind).items():
        value = data.get(name)
        if value is None or (current is not None and getattr(current, name) == value):
            continue
        if not _exists(table, str(value), batch):
            errors[name] = [NOT_FOUND]
    if errors:
        raise ValidationError(errors)


def _exists(table: Table, row_id: str, batch: Batch) -> bool:
    key = (table.name, row_id)
    if key in batch.known:
        return True
    model = _model_of(table)
    if model is not None and access.has_rule(model):
        query: Any = select(model.id).where(model.id == row_id, access.clause(model, batch.user))
    else:
        query = select(table.c.id).where(table.c.id == row_id)
    if db.session.scalar(query) is None:
        return False
    batch.known.add(key)
    return True
