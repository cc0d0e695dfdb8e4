"""Reading the change sequence for one caller: bounded pages, cost proportional to changes.

The query touches only ``sync_change`` rows of the caller's scopes with a sequence number
above the cursor (an index range scan on (scope, seq)), so a pull's cost follows the number
of changes since the cursor, not the size of the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from sync import history
from sync.cursor import Cursor
from sync.sql import among_param, driver_tuples
from sync.tables import SyncTables


class ChangeRef(NamedTuple):
    """One changed record to send: which, where, and at which sequence number, with the
    record's wire JSON when the change log kept it (``doc``, made by SQL of shape
    ``doc_shape``). (A tuple: a page makes a thousand of them, and a tuple is made from a
    row's values at once.)"""

    entity: str
    record_id: str
    scope: str
    seq: int
    doc: str | None = None
    doc_shape: str | None = None


@dataclass(frozen=True)
class Page:
    """A page of changes, the scopes to purge and the cursor after it."""

    changes: list[ChangeRef]
    purged_scopes: list[str]
    cursor: Cursor
    more: bool


def read_page(
    session: Session, tables: SyncTables, cursor: Cursor, scopes: frozenset[str], limit: int
) -> Page:
    """The next page for a caller who may now read ``scopes``.

    Scopes already in the cursor continue after its sequence number; new scopes start from
    the beginning. Ordering by sequence number makes one number serve all of them: after a
    page ending at n, every scope has been sent up to n.

    Raises StaleCursor or CursorAhead (both BadCursor) for a cursor that would skip
    changes after a restore (sync/history.py).
    """
    known = scopes & cursor.scopes
    new = scopes - cursor.scopes
    params = {"known": sorted(known), "after": cursor.seq, "new": sorted(new), "limit": limit + 1}
    if session.get_bind().dialect.name == "postgresql":
        now, rows = _position_and_page(session, tables, bool(known), bool(new), params)
    else:
        # Read the newest committed number *before* the changes: every number up to it is
        # committed (see changelog.py), so the query below is sure to see all of them. Read
        # after, it could include a commit the query did not see, and skip it forever.
        now = history.position(session, tables)
        rows = (
            [
                tuple(row)
                for row in session.execute(
                    _page_statement(tables, False, bool(known), bool(new)), params
                )
            ]
            if known or new
            else []
        )
    history.check(cursor, now)
    high_water = now.high_water
    more = len(rows) > limit
    refs = [ChangeRef._make(row) for row in rows[:limit]]  # strings and numbers as they are
    # With nothing more up to the newest committed number, jump there, so that a quiet
    # scope does not make the next pull scan old numbers again.
    seq = refs[-1].seq if more else max([cursor.seq, high_water, *(r.seq for r in refs)])
    purged = sorted(cursor.scopes - scopes)
    return Page(
        changes=refs,
        purged_scopes=purged,
        cursor=Cursor(seq=seq, scopes=scopes, history=now.history),
        more=more,
    )


@cache
def _page_statement(tables: SyncTables, postgresql: bool, known: bool, new: bool) -> Select[Any]:
    """The page query, made once for each combination (a thousand pages, one statement)."""
    change = tables.change
    conditions = []
    if known:
        conditions.append(
            and_(
                among_param(change.c.scope, "known", postgresql), change.c.seq > bindparam("after")
            )
        )
    if new:
        conditions.append(among_param(change.c.scope, "new", postgresql))
    return (
        select(
            change.c.entity,
            change.c.record_id,
            change.c.scope,
            change.c.seq,
            change.c.doc,
            change.c.doc_shape,
        )
        .where(or_(*conditions))
        .order_by(change.c.seq)
        .limit(bindparam("limit"))
    )


def _position_and_page(
    session: Session, tables: SyncTables, known: bool, new: bool, params: dict[str, Any]
) -> tuple[history.Position, Sequence[Any]]:
    """PostgreSQL: the newest committed number and the page in one statement, one round
    trip. One statement reads one snapshot, in which every number up to the counter's is
    committed (changelog.py), so the page sees all of them — as it does when the counter is
    read first, in a statement of its own."""
    rows = driver_tuples(
        session, _position_and_page_sql(session.get_bind().dialect, tables, known, new), params
    )
    now = history.Position(high_water=int(rows[0][0]), history=int(rows[0][1]))
    # Without a change to send, the one row has the position only. The rows are in
    # sequence order already; sorting them here (linear on sorted input) is cheaper than
    # having PostgreSQL sort a thousand wide rows to promise it.
    page = [row[2:] for row in rows if row[2] is not None]
    page.sort(key=_seq)
    return now, page


def _seq(row: Sequence[Any]) -> Any:
    return row[3]


@cache
def _position_and_page_sql(dialect: Any, tables: SyncTables, known: bool, new: bool) -> str:
    page = (
        "SELECT NULL::varchar AS entity, NULL::varchar AS record_id, NULL::varchar AS scope, "
        "NULL::bigint AS seq, NULL::text AS doc, NULL::varchar AS doc_shape WHERE false"
    )
    if known or new:
        page = str(_page_statement(tables, True, known, new).compile(dialect=dialect))
    columns = (
        "pos.high_water, pos.history, p.entity, p.record_id, p.scope, p.seq, p.doc, p.doc_shape"
    )
    joined = f"({history.position_sql(tables)}) pos LEFT JOIN LATERAL ({page}) p ON true"
    # Table names and SQL are ours; values are parameters.
    return f"SELECT {columns} FROM {joined}"  # noqa: S608
