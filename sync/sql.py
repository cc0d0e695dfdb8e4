"""SQL that differs between PostgreSQL and SQLite for speed, not for meaning."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def among(session: Session, column: Any, values: Sequence[str]) -> ColumnElement[bool]:
    """``column IN (values)``. On PostgreSQL ``column = ANY(:array)``: one parameter instead
    of up to a thousand, so the statement is the same for every page (prepared once) and
    takes less time to send and to plan."""
    if session.get_bind().dialect.name == "postgresql":
        condition: ColumnElement[bool] = column == any_(
            bindparam(None, list(values), type_=ARRAY(String)))
        return condition
    in_list: ColumnElement[bool] = column.in_(values)
    return in_list


def plain_tuples(session: Session, statement: Select[Any]) -> Sequence[tuple[Any, ...]]:
    """The rows of ``statement`` as plain tuples. For columns whose values need no
    conversion on the way out (strings, integers): on PostgreSQL the driver's own cursor
    reads them, without building SQLAlchemy's result rows (a pull page reads a thousand)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return [tuple(row) for row in session.execute(statement).all()]
    compiled = statement.compile(dialect=bind.dialect)
    raw = session.connection().connection.driver_connection
    # A list parameter rendered only at execution (``in_``) is SQLAlchemy's business: use
    # ``among`` for lists here.
    if raw is None or compiled.literal_execute_params or compiled.post_compile_params:
        return [tuple(row) for row in session.execute(statement).all()]
    with raw.cursor() as cursor:
        cursor.execute(str(compiled), compiled.params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows
