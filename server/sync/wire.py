"""Records on the wire: ``{"entity", "id", "version", "scope", "fields", "deleted"}``.

A record's fields are what its REST schema dumps. A pull sends up to 1,000 records a page,
and marshmallow's ``Schema.dump`` (finding each attribute, running hooks, collecting errors)
cost half of a page's time, and loading ORM objects a good part of the rest. So for a kind
whose schema only maps columns to values (``plain_dumper``), a pull reads the columns and
converts each value with the schema's own field — a string column through a ``String`` field
is the value itself, a time through ``AwareDateTime`` its ISO form, anything else the field's
``_serialize`` — and never builds an object. ``tests/sync/test_wire.py`` checks that every
kind's records come out exactly as ``Schema.dump`` makes them. A kind with a computed field
(a photo's ``uploaded``) is dumped by marshmallow from ORM objects, as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from marshmallow import fields as mf
from psycopg.rows import namedtuple_row
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    any_,
    bindparam,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import JSON, TypeDecorator

# Every synced kind by wire name is server/kinds.py's; the sync routes import it from here.
from server.kinds import KINDS as KINDS
from server.records.kind import Kind, schema_instance
from sync.sql import among
from sync.types import UtcDateTime

_META = ("id", "version", "created_at", "updated_at", "deleted")


def to_wire_many(kind: Kind, objs: Sequence[Any]) -> list[dict[str, Any]]:
    """Records as pull sends them: their fields as the REST schema dumps them."""
    dumped: list[dict[str, Any]] = schema_instance(kind.schema).dump(objs, many=True)
    return [
        {
            "entity": kind.name,
            "id": obj.id,
            "version": obj.version,
            "scope": obj.scope,
            "deleted": obj.deleted_at is not None,
            "updated_at": fields.get("updated_at"),
            "fields": {k: v for k, v in fields.items() if k not in _META},
        }
        for obj, fields in zip(objs, dumped, strict=True)
    ]


Convert = Callable[[Any], Any]


@dataclass(frozen=True)
class PlainDumper:
    """Turns a row of a kind's table (the ``columns``) into its wire record."""

    kind: Kind
    columns: tuple[Column[Any], ...]
    fields: tuple[tuple[str, str, Convert], ...]  # (key on the wire, column, conversion)
    updated_at: Convert
    _meta_at: tuple[int, ...] = dataclasses.field(init=False, repr=False, compare=False)
    # Set when every field is sent as it is (no conversion to call).
    _same_at: tuple[tuple[str, int], ...] | None = dataclasses.field(
        default=None, init=False, repr=False, compare=False)
    _fields_at: tuple[tuple[str, int, Convert], ...] = dataclasses.field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Values are taken from a row by position: a thousand records a page, a dozen
        # values each, and a name lookup each would cost more than building the record.
        # Values sent as they are need no call at all.
        at = {column.name: i for i, column in enumerate(self.columns)}
        object.__setattr__(self, "_meta_at", tuple(at[name] for name in _META_COLUMNS))
        object.__setattr__(self, "_fields_at", tuple(
            (key, at[column], convert) for key, column, convert in self.fields))
        if all(convert is _same for _key, _column, convert in self.fields):
            object.__setattr__(self, "_same_at", tuple(
                (key, i) for key, i, _convert in self._fields_at))

    def record(self, row: Any, scope: str) -> dict[str, Any]:
        """The wire record of ``row`` (a result row of ``columns``); ``scope`` is the one the
        change log recorded with its last change (the record's scope: see changelog.py)."""
        id_at, version_at, deleted_at, updated_at = self._meta_at
        if self._same_at is not None:
            fields = {key: row[i] for key, i in self._same_at}
        else:
            fields = {key: convert(row[i]) for key, i, convert in self._fields_at}
        return {
            "entity": self.kind.name,
            "id": row[id_at],
            "version": row[version_at],
            "scope": scope,
            "deleted": row[deleted_at] is not None,
            "updated_at": self.updated_at(row[updated_at]),
            "fields": fields,
        }


_META_COLUMNS = ("id", "version", "deleted_at", "updated_at")
# Session time zones in which PostgreSQL hands times over in UTC (the app sets UTC on each
# connection: server/database.py).
_UTC_ZONES = frozenset({"UTC", "Etc/UTC"})
_PG = postgresql.dialect()  # type: ignore[no-untyped-call] # SQLAlchemy's dialect class is untyped
# Column types whose Python value through SQLAlchemy is psycopg's own (no result processor
# with the psycopg dialect: JSON is decoded by psycopg itself).
_AS_PSYCOPG_READS = (String, Integer, Boolean, Float, Date, JSON)


def plain_rows(session: Session, dumper: PlainDumper, ids: Sequence[str]) -> Sequence[Any]:
    """The rows of the records ``ids`` for ``dumper.record`` (and attributes by column name).

    On PostgreSQL, read through the driver's own cursor: SQLAlchemy's result rows and its
    conversions cost a third of a pull page's time, and these columns need none — every
    value comes from psycopg as the column's Python value, times in UTC because the
    session's time zone is (checked here; otherwise through SQLAlchemy as elsewhere)."""
    table = dumper.kind.model.__table__
    sql = _raw_sql(dumper) if session.get_bind().dialect.name == "postgresql" else None
    if sql is not None:
        raw = session.connection().connection.driver_connection
        if raw is not None and raw.info.parameter_status("TimeZone") in _UTC_ZONES:
            with raw.cursor(row_factory=namedtuple_row) as cursor:
                cursor.execute(sql, {"ids": list(ids)})
                rows: list[Any] = cursor.fetchall()
                return rows
    return session.execute(select(*dumper.columns).where(among(session, table.c.id, ids))).all()


@cache
def _raw_sql(dumper: PlainDumper) -> str | None:
    """The dumper's query as psycopg runs it; None when a column's value needs a conversion
    on the way out other than UTC times (then only SQLAlchemy reads it)."""
    for column in dumper.columns:
        kind = column.type
        if isinstance(kind, UtcDateTime):
            continue
        if isinstance(kind, TypeDecorator) or not isinstance(kind, _AS_PSYCOPG_READS):
            return None
        if isinstance(kind, Float) and kind.asdecimal:
            return None
    table = dumper.kind.model.__table__
    statement = select(*dumper.columns).where(
        table.c.id == any_(bindparam("ids", type_=ARRAY(String))))
    # %(ids)b: the ids go in binary, which spares psycopg a look at each one for quoting.
    return str(statement.compile(dialect=_PG)).replace("%(ids)s", "%(ids)b")


@cache
def plain_dumper(kind: Kind) -> PlainDumper | None:
    """A dumper for ``kind`` when every field its schema dumps is a column's value (or the
    record's ``deleted``), with no hooks; None otherwise."""
    schema = schema_instance(kind.schema)
    if any(schema._hooks[hook] for hook in ("pre_dump", "post_dump")):
        return None
    table: Table = kind.model.__table__
    wire: list[tuple[str, str, Convert]] = []
    meta: dict[str, Convert] = {}
    for name, field in schema.dump_fields.items():
        attribute = field.attribute or name
        if name == "deleted" and attribute == "deleted":
            continue  # from deleted_at, like the model's property
        column = table.columns.get(attribute)
        if column is None:
            return None
        convert = _conversion(field, column)
        if convert is None:
            return None
        key = field.data_key or name
        if key in _META:
            meta[key] = convert
        else:
            wire.append((key, column.name, convert))
    needed = {"id", "version", "deleted_at", "updated_at", *(c for _k, c, _f in wire)}
    columns = tuple(column for column in table.columns if column.name in needed)
    return PlainDumper(kind, columns, tuple(wire), meta.get("updated_at", _iso))


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _same(value: Any) -> Any:
    return value


# (marshmallow field class, column type) pairs whose dump is the column's value itself:
# String's dump of a str is that str, Integer's of an int that int, and so on.
_UNCHANGED: tuple[tuple[type[mf.Field[Any]], type[Any]], ...] = (
    (mf.String, String), (mf.UUID, String), (mf.Integer, Integer), (mf.Float, Float),
    (mf.Boolean, Boolean), (mf.Raw, JSON), (mf.Dict, JSON),
)
_COMPUTED = (mf.Method, mf.Function, mf.Nested, mf.Pluck, mf.Constant)


def _conversion(field: mf.Field[Any], column: Column[Any]) -> Convert | None:
    if isinstance(field, _COMPUTED):
        return None
    column_type = column.type
    impl = column_type.impl_instance if isinstance(column_type, TypeDecorator) else column_type
    if any(type(field) is f and isinstance(impl, t) for f, t in _UNCHANGED):
        return _same
    # A String subclass that writes text as String does (Email): the text as it is.
    if (isinstance(field, mf.String) and type(field)._serialize is mf.String._serialize
            and isinstance(impl, String)):
        return _same
    if isinstance(field, mf.DateTime | mf.Date) and isinstance(impl, DateTime | Date) and (
            getattr(field, "format", None) in (None, "iso", "iso8601")):
        return _iso
    serialize = field._serialize  # the field's own conversion, without Schema.dump around it

    def convert(value: Any) -> Any:
        return serialize(value, None, None)

    return convert
