"""Which change history a database holds, so a restore never lets a client skip changes.

A restored database numbers its next changes from the backup's counter again. A client
that pulled after the backup was taken holds a cursor past that point: the numbers the
server now hands out up to the client's cursor name *other* changes, which that client
would never be sent, and its copies may be newer than the restored ones.

So the database carries a history number beside the change counter, and every cursor the
history it was issued in. A cursor of another history is refused (``bad_cursor``): the
client pulls again from the start and takes the server's copies as they now are.

The history changes:
- when a pull shows a cursor *ahead* of the newest committed change number, which only a
  restore (or a database of another server with the same key) can explain: that client,
  and every other client of the old history, starts again — also those whose cursor is not
  ahead, whose numbers the restored server may already have reused;
- when the operator says so after a restore (``flask --app server sync new-history``,
  docs/deploying.md), which covers the case where the server has passed every ahead cursor
  before any of those clients came back.

It lives in the counter table's second row (row 1 is the change counter); a database that
never had a new history has none, which is history 0.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sync.cursor import BadCursor, Cursor
from sync.tables import SyncTables

COUNTER_ROW, HISTORY_ROW = 1, 2


class StaleCursor(BadCursor):
    """The cursor belongs to another change history (the database was restored)."""


class CursorAhead(BadCursor):
    """The cursor is past the newest committed change: the database went back in time."""


@dataclass(frozen=True)
class Position:
    """The newest committed change number and the history it belongs to."""

    high_water: int
    history: int


def position(session: Session, tables: SyncTables) -> Position:
    """Read both in one statement (one snapshot)."""
    counter = tables.counter
    rows = {
        int(row.id): int(row.value)
        for row in session.execute(
            select(counter.c.id, counter.c.value).where(
                counter.c.id.in_((COUNTER_ROW, HISTORY_ROW))
            )
        )
    }
    return Position(high_water=rows.get(COUNTER_ROW, 0), history=rows.get(HISTORY_ROW, 0))


def position_sql(tables: SyncTables) -> str:
    """``position`` as SQL of one row (high_water, history), to be read in the same
    statement as what depends on it (one snapshot: see sync/pull.py)."""
    counter = tables.counter.name
    columns = (
        f"COALESCE(MAX(value) FILTER (WHERE id = {COUNTER_ROW}), 0) AS high_water, "
        f"COALESCE(MAX(value) FILTER (WHERE id = {HISTORY_ROW}), 0) AS history"
    )
    # The table's name is ours; there are no values.
    return f"SELECT {columns} FROM {counter} WHERE id IN ({COUNTER_ROW}, {HISTORY_ROW})"  # noqa: S608


def check(cursor: Cursor, now: Position) -> None:
    """Refuse a cursor that would skip changes; raise StaleCursor or CursorAhead."""
    if cursor.is_start:
        return
    if cursor.history != now.history:
        raise StaleCursor("the cursor belongs to another change history")
    if cursor.seq > now.high_water:
        raise CursorAhead(f"cursor at {cursor.seq}, newest change {now.high_water}")


def start_new(session: Session, tables: SyncTables) -> int:
    """Begin a new history: every cursor issued so far is refused from now on."""
    value = secrets.randbits(62) + 1  # never 0, the history of a database that had none
    counter = tables.counter
    if session.get_bind().dialect.name == "postgresql":
        stmt = pg_insert(counter).values(id=HISTORY_ROW, value=value)
        session.execute(
            stmt.on_conflict_do_update(index_elements=[counter.c.id], set_={"value": value})
        )
    else:
        lite = sqlite_insert(counter).values(id=HISTORY_ROW, value=value)
        session.execute(
            lite.on_conflict_do_update(index_elements=[counter.c.id], set_={"value": value})
        )
    return value
