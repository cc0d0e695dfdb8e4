"""Records kept as their wire JSON beside their change, so a pull page is one read.

A pull page used to look each changed record up in its own table and build its wire record
in Python: two thirds of a page's time, for work that gives the same answer to every device
that pulls the record. On PostgreSQL the change log writes the record's wire JSON into its
``sync_change`` row in the statement that numbers the change (``sync/changelog.py``), built
by PostgreSQL from the row as it is committed; a pull reads change and record together and
sends the stored text as it is. Every other record (on SQLite, photos, conflicts, documents
of an old shape) is dumped by marshmallow (``server/sync/wire.py``): the one other way.

Only kinds whose wire record is plain columns get a document (``_plain_fields``), and not
conflicts, whose audit entry is asked per record. Each document carries its kind's *shape*,
a digest of the SQL that made it: when a kind's fields change in a later version, its old
documents no longer match and the pull dumps those records as before, until they change
or ``flask sync rebuild-documents`` rewrites them. ``tests/server/test_sync_documents.py``
checks that every kind's document is exactly what marshmallow dumps.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from marshmallow import fields as mf
from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, String, text
from sqlalchemy.orm import Session
from sqlalchemy.types import JSON, TypeDecorator

from server.records.kind import Kind, schema_instance
from server.sync.conflicts import CONFLICT
from server.sync.wire import KINDS, META
from sync.tables import SyncTables
from sync.types import UtcDateTime

# How marshmallow dumps a column's value: as it is, as its isoformat(), or otherwise.
_How = Literal["same", "iso", "other"]


@dataclass(frozen=True)
class Document:
    """How PostgreSQL writes one kind's wire record: ``sql`` is a text expression over the
    record's row ``t`` and the change's scope ``c.scope``; ``shape`` names that SQL."""

    entity: str
    table: str
    sql: str
    shape: str


def _utc_text(column: str) -> str:
    """Python's ``isoformat()`` of a UTC time, in SQL: microseconds only when there are
    some, and the offset written out, whatever the session's time zone."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"CASE WHEN {column} IS NULL THEN 'null' ELSE '\"' || to_char({utc}, "
        f"CASE WHEN to_char({utc}, 'US') = '000000' THEN 'YYYY-MM-DD\"T\"HH24:MI:SS' "
        f"ELSE 'YYYY-MM-DD\"T\"HH24:MI:SS.US' END) || '+00:00\"' END"
    )


def _value(column: str) -> str:
    """Any other column as its JSON value: strings, numbers, booleans, dates, JSON."""
    return f"COALESCE(to_json({column})::text, 'null')"


def _member(key: str, value_sql: str) -> str:
    return f"'\"{key}\":' || {value_sql}"


@cache
def document(kind: Kind) -> Document | None:
    """The kind's document, or None when its records are dumped by marshmallow only."""
    plain = _plain_fields(kind)
    if plain is None or kind is CONFLICT:
        return None
    members = []
    for key, column_name, how in plain:
        value = _field_sql(kind, column_name, how)
        if value is None:
            return None
        members.append(_member(key, value))
    table = kind.model.__table__
    updated = _utc_text("t.updated_at") if _is_utc(table.c.updated_at) else None
    if updated is None:
        return None
    fields = " || ',' || ".join(members) if members else "''"
    sql = (
        f'\'{{"entity":"{kind.name}","id":\' || to_json(t.id)::text'
        f" || ',\"version\":' || t.version::text"
        f" || ',\"scope\":' || to_json(c.scope)::text"
        f" || ',\"deleted\":' || CASE WHEN t.deleted_at IS NULL THEN 'false' ELSE 'true' END"
        f" || ',\"updated_at\":' || {updated}"
        f" || ',\"fields\":{{' || {fields} || '}}}}'"
    )
    shape = hashlib.sha256(sql.encode()).hexdigest()[:16]
    return Document(kind.name, table.name, sql, shape)


def _is_utc(column: object) -> bool:
    return isinstance(getattr(column, "type", None), UtcDateTime)


def _field_sql(kind: Kind, column_name: str, how: _How) -> str | None:
    column = kind.model.__table__.c[column_name]
    ref = f't."{column_name}"'
    if how == "same":
        return _value(ref)
    if how == "iso":
        if _is_utc(column):
            return _utc_text(ref)
        if isinstance(column.type, Date):
            return _value(ref)
    return None


def _plain_fields(kind: Kind) -> list[tuple[str, str, _How]] | None:
    """(key on the wire, column, how) of each member of the record's ``fields``, in the
    schema's order, when every field the schema dumps is a column's value (or the record's
    ``deleted``) and ``updated_at`` is its column's isoformat(), with no hooks; else None."""
    schema = schema_instance(kind.schema)
    if any(schema._hooks[hook] for hook in ("pre_dump", "post_dump")):
        return None
    table = kind.model.__table__
    plain: list[tuple[str, str, _How]] = []
    for name, field in schema.dump_fields.items():
        attribute = field.attribute or name
        if name == "deleted" and attribute == "deleted":
            continue  # from deleted_at, like the model's property
        column = table.columns.get(attribute)
        if column is None:
            return None
        how = _how(field, column)
        key = field.data_key or name
        if how is None or (key == "updated_at" and how != "iso"):
            return None
        if key not in META:
            plain.append((key, column.name, how))
    return plain


# (marshmallow field class, column type) pairs whose dump is the column's value itself:
# String's dump of a str is that str, Integer's of an int that int, and so on.
_UNCHANGED: tuple[tuple[type[mf.Field[Any]], type[Any]], ...] = (
    (mf.String, String),
    (mf.UUID, String),
    (mf.Integer, Integer),
    (mf.Float, Float),
    (mf.Boolean, Boolean),
    (mf.Raw, JSON),
    (mf.Dict, JSON),
)
_COMPUTED = (mf.Method, mf.Function, mf.Nested, mf.Pluck, mf.Constant)


def _how(field: mf.Field[Any], column: Column[Any]) -> _How | None:
    """None for a field computed from more than its column."""
    if isinstance(field, _COMPUTED):
        return None
    column_type = column.type
    impl = column_type.impl_instance if isinstance(column_type, TypeDecorator) else column_type
    if any(type(field) is f and isinstance(impl, t) for f, t in _UNCHANGED):
        return "same"
    # A String subclass that writes text as String does (Email): the text as it is.
    if (
        isinstance(field, mf.String)
        and type(field)._serialize is mf.String._serialize
        and isinstance(impl, String)
    ):
        return "same"
    if (
        isinstance(field, mf.DateTime | mf.Date)
        and isinstance(impl, DateTime | Date)
        and (getattr(field, "format", None) in (None, "iso", "iso8601"))
    ):
        return "iso"
    return "other"


def documents() -> list[Document]:
    """Every kind that has a document."""
    return [doc for kind in KINDS.values() if (doc := document(kind)) is not None]


@cache
def shapes() -> dict[str, str]:
    """Entity → the shape a stored document must have to be sent as it is."""
    return {doc.entity: doc.shape for doc in documents()}


def _select(doc: Document) -> str:
    # The SQL is ours, made from the models (no value from outside).
    return f"SELECT {doc.sql} FROM {doc.table} t WHERE t.id = c.record_id"  # noqa: S608


@cache
def change_log_sql() -> tuple[str, str]:
    """SQL for the change log's numbering statement: the document and its shape of the
    record named by ``c.entity`` and ``c.record_id`` (NULL for kinds without one)."""
    docs = documents()
    text = " ".join(f"WHEN '{d.entity}' THEN ({_select(d)})" for d in docs)
    shape = " ".join(f"WHEN '{d.entity}' THEN '{d.shape}'" for d in docs)
    return f"CASE c.entity {text} END", f"CASE c.entity {shape} END"


def rebuild(session: Session, tables: SyncTables) -> int:
    """Write the document of every change whose document is missing or of another shape
    (after an upgrade that changed a kind's fields, or for changes made before documents
    were kept); the number of changes written. PostgreSQL only (elsewhere: 0).

    Safe beside writers: a change committed meanwhile carries its new document already, and
    this statement, finding that row changed, re-checks the condition and leaves it be."""
    if session.get_bind().dialect.name != "postgresql":
        return 0
    change = tables.change.name
    written = 0
    # Table names and SQL are ours; values are parameters.
    for doc in documents():
        update = f"UPDATE {change} c SET doc = ({_select(doc)}), doc_shape = :shape"  # noqa: S608
        result = session.execute(
            text(f"{update} WHERE c.entity = :entity AND c.doc_shape IS DISTINCT FROM :shape"),
            {"shape": doc.shape, "entity": doc.entity},
        )
        written += int(getattr(result, "rowcount", 0) or 0)
    # A kind that has no document (any more): its old documents go.
    clear = f"UPDATE {change} SET doc = NULL, doc_shape = NULL"  # noqa: S608
    session.execute(
        text(f"{clear} WHERE doc IS NOT NULL AND NOT (entity = ANY(:entities))"),
        {"entities": [doc.entity for doc in documents()]},
    )
    return written
