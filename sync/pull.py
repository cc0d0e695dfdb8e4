"""Reading the change sequence for one caller: bounded pages, cost proportional to changes.

The query touches only ``sync_change`` rows of the caller's scopes with a sequence number
above the cursor (an index range scan on (scope, seq)), so a pull's cost follows the number
of changes since the cursor, not the size of the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Select, and_, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from sync.cursor import Cursor
from sync.tables import SyncTables


class ChangeRef(NamedTuple):
    """One changed record to send: which, where, and at which sequence number."""

    entity: str
    record_id: str
    scope: str
    seq: int


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
    """
    change = tables.change
    known = scopes & cursor.scopes
    new = scopes - cursor.scopes
    conditions = []
    if known:
        conditions.append(and_(change.c.scope.in_(sorted(known)), change.c.seq > cursor.seq))
    if new:
        conditions.append(change.c.scope.in_(sorted(new)))
    # The newest committed number, and the changes, read by one statement: both from one
    # snapshot of the database. Every number up to that newest one was committed before it
    # (see changelog.py: a number is taken under the counter's row lock, held until commit),
    # so the changes read in the same snapshot include all of them; jumping the cursor to it
    # can skip nothing. (Two statements would do as well only in this order, high water
    # first: read after the changes, it could count a commit the changes query missed.)
    statement: Select[tuple[str | None, str | None, str | None, int]] | None = None
    if conditions:
        statement = (
            select(change.c.entity, change.c.record_id, change.c.scope, change.c.seq)
            .where(or_(*conditions)).order_by(change.c.seq).limit(limit + 1)
        )
    rows, high_water = _changes_and_high_water(session, tables, statement)
    more = len(rows) > limit
    refs = [ChangeRef(*row) for row in rows[:limit]]
    # With nothing more up to the newest committed number, jump there, so that a quiet
    # scope does not make the next pull scan old numbers again.
    seq = refs[-1].seq if more else max([cursor.seq, high_water, *(r.seq for r in refs)])
    purged = sorted(cursor.scopes - scopes)
    return Page(changes=refs, purged_scopes=purged,
                cursor=Cursor(seq=seq, scopes=scopes), more=more)


def _changes_and_high_water(
    session: Session, tables: SyncTables,
    changes: Select[tuple[str | None, str | None, str | None, int]] | None,
) -> tuple[list[tuple[str, str, str, int]], int]:
    """The rows of ``changes`` in order, and the counter's value, from one statement."""
    if changes is None:
        return [], int(session.execute(select(tables.counter.c.value)).scalar() or 0)
    counter = select(null().label("entity"), null().label("record_id"),
                     null().label("scope"), tables.counter.c.value.label("seq"),
                     literal(0).label("part"))
    page = changes.subquery()
    statement = union_all(counter, select(page, literal(1).label("part")))
    high_water = 0
    rows: list[tuple[str, str, str, int]] = []
    for entity, record_id, scope, seq, part in session.execute(statement):
        if part == 0:
            high_water = int(seq or 0)
        else:
            rows.append((entity, record_id, scope, seq))
    rows.sort(key=lambda row: row[3])  # a union keeps no order
    return rows, high_water
