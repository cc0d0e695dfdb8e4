"""Reading the change sequence for one caller: bounded pages, cost proportional to changes.

The query touches only ``sync_change`` rows of the caller's scopes with a sequence number
above the cursor (an index range scan on (scope, seq)), so a pull's cost follows the number
of changes since the cursor, not the size of the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from sync import history
from sync.cursor import Cursor
from sync.sql import among, plain_tuples
from sync.tables import SyncTables


class ChangeRef(NamedTuple):
    """One changed record to send: which, where, and at which sequence number. (A tuple:
    a page makes a thousand of them, and a tuple is made from a row's values at once.)"""

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

    Raises StaleCursor or CursorAhead (both BadCursor) for a cursor that would skip
    changes after a restore (sync/history.py).
    """
    # Read the newest committed number *before* the changes: every number up to it is
    # committed (see changelog.py), so the query below is sure to see all of them. Read
    # after, it could include a commit the query did not see, and skip it forever.
    now = history.position(session, tables)
    history.check(cursor, now)
    high_water = now.high_water
    change = tables.change
    known = scopes & cursor.scopes
    new = scopes - cursor.scopes
    conditions = []
    if known:
        conditions.append(and_(among(session, change.c.scope, sorted(known)),
                               change.c.seq > cursor.seq))
    if new:
        conditions.append(among(session, change.c.scope, sorted(new)))
    rows: Sequence[Any] = ()
    if conditions:
        rows = plain_tuples(session, (  # strings and numbers: no conversions needed
            select(change.c.entity, change.c.record_id, change.c.scope, change.c.seq)
            .where(or_(*conditions))
            .order_by(change.c.seq)
            .limit(limit + 1)
        ))
    more = len(rows) > limit
    refs = [ChangeRef._make(row) for row in rows[:limit]]
    # With nothing more up to the newest committed number, jump there, so that a quiet
    # scope does not make the next pull scan old numbers again.
    seq = refs[-1].seq if more else max([cursor.seq, high_water, *(r.seq for r in refs)])
    purged = sorted(cursor.scopes - scopes)
    return Page(changes=refs, purged_scopes=purged,
                cursor=Cursor(seq=seq, scopes=scopes, history=now.history), more=more)
