"""Recording every change of a synced record in a commit-ordered sequence.

The trap this avoids: a sequence number (or timestamp) taken early in a transaction lets a
slow transaction commit *below* a cursor that a client already holds, and that client never
sees the change. Here numbers are taken at the very end of the transaction, by incrementing
the single ``sync_counter`` row; the row lock is held until commit, so no other transaction
can take a number until this one has committed. Committed sequence numbers therefore always
form a gap-free prefix, on SQLite (one writer at a time) and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, insert, inspect, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sync.record import SyncRecord
from sync.tables import SyncTables

_PENDING = "sync_pending_changes"
_BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at", "field_clocks"})


class ChangeLog:
    """Listens to ORM sessions and writes ``sync_change`` rows just before each commit."""

    def __init__(
        self,
        tables: SyncTables,
        entity_name: dict[type[Any], str],
        stamp_fields: Callable[[Any, list[str]], None] | None = None,
        documents: Callable[[], tuple[str, str]] | None = None,
    ) -> None:
        self.tables = tables
        # Model class → wire name ("board_note"); only registered models are tracked.
        self.entity_name = entity_name
        # Given a record and the fields changed without a field clock (by the application
        # itself, not by a merge), records who changed them when: see ``_stamp_fields``.
        self.stamp_fields = stamp_fields
        # PostgreSQL only: SQL for a changed record's wire JSON and its shape, over the
        # change ``c`` (entity, record_id, scope), written beside the change so that a pull
        # sends it as it is (server/sync/documents.py). Elsewhere the column stays empty.
        self.documents = documents

    def install(self, session_target: Any) -> None:
        """Listen on a Session class or sessionmaker."""
        event.listen(session_target, "before_flush", self._before_flush)
        event.listen(session_target, "before_commit", self._before_commit)
        event.listen(session_target, "after_transaction_end", self._after_transaction_end)

    def _before_flush(self, session: Session, _ctx: Any, _instances: Any) -> None:
        # Objects, not keys: a new record's id and scope are known only after the flush.
        pending: dict[int, SyncRecord] = session.info.setdefault(_PENDING, {})
        for obj in list(session.new) + list(session.dirty):
            if type(obj) not in self.entity_name or not isinstance(obj, SyncRecord):
                continue
            if obj in session.dirty:
                if not session.is_modified(obj, include_collections=False):
                    continue
                self._stamp_fields(obj)
                # Computed by the database, so concurrent writers never reuse a number.
                obj.version = type(obj).version + 1
            pending[id(obj)] = obj
        for obj in session.deleted:
            if type(obj) in self.entity_name:
                raise RuntimeError("synced records are soft-deleted (deleted_at), never removed")

    def _stamp_fields(self, obj: SyncRecord) -> None:
        """Hand the fields that changed without a new field clock to ``stamp_fields``.

        A merge sets the clock of every field it writes; a field the application changes
        otherwise (the effect of a rule, say) would be left with the clock of its previous
        value, and a later merge would misjudge it. Nothing escapes: every changed field has
        the clock of the change that set it."""
        if self.stamp_fields is None:
            return
        state = inspect(obj)
        # Attributes set since loading (cheaper than asking every attribute's history).
        candidates = [key for key in state.committed_state if key not in _BOOKKEEPING]
        clocks = state.attrs.field_clocks.history
        if candidates and clocks.has_changes():
            before = (clocks.deleted or [{}])[0] or {}
            after = obj.field_clocks or {}
            candidates = [key for key in candidates if after.get(key) == before.get(key)]
        changed = [key for key in candidates if state.attrs[key].history.has_changes()]
        if changed:
            self.stamp_fields(obj, changed)

    def _before_commit(self, session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint: numbers are taken once, when the real transaction commits
        session.flush()
        objects: dict[int, SyncRecord] = session.info.pop(_PENDING, {})
        # A record created in a savepoint that was rolled back is no longer persistent: it
        # never existed. (One edited there is still sent: a harmless extra copy.)
        changed = {
            (self.entity_name[type(obj)], obj.id): str(_scope(obj))
            for obj in objects.values()
            if inspect(obj).persistent
        }
        if not changed:
            return
        ordered = sorted(changed.items())
        if session.get_bind().dialect.name == "postgresql" and self._number_in_one(
            session, ordered
        ):
            return
        last = self._take_numbers(session, len(changed))
        first = last - len(changed) + 1
        rows = [
            {
                "entity": entity,
                "record_id": record_id,
                "scope": scope,
                "seq": first + i,
                "doc": None,
                "doc_shape": None,
            }
            for i, ((entity, record_id), scope) in enumerate(ordered)
        ]
        self._upsert_changes(session, rows)

    def _after_transaction_end(self, session: Session, transaction: Any) -> None:
        # The outermost transaction ended without commit (a rollback): forget its changes.
        if transaction.parent is None:
            session.info.pop(_PENDING, None)

    def _number_in_one(self, session: Session, ordered: list[tuple[tuple[str, str], str]]) -> bool:
        """PostgreSQL: take the numbers and write the change rows in one statement, so the
        counter's row lock (which every other writer's commit waits for) is held for one
        round trip less. False when the counter row is missing (then nothing was written)."""
        counter, change = self.tables.counter.name, self.tables.change.name
        doc, shape = self.documents() if self.documents is not None else ("NULL", "NULL")
        written = session.execute(
            text(f"""
                WITH taken AS (
                    UPDATE {counter} SET value = value + :count WHERE id = 1 RETURNING value
                )
                INSERT INTO {change} (entity, record_id, scope, seq, doc, doc_shape)
                SELECT c.entity, c.record_id, c.scope, taken.value - :count + c.n,
                       {doc}, {shape}
                FROM unnest(CAST(:entities AS varchar[]), CAST(:records AS varchar[]),
                            CAST(:scopes AS varchar[]))
                     WITH ORDINALITY AS c(entity, record_id, scope, n), taken
                ON CONFLICT (entity, record_id)
                DO UPDATE SET scope = excluded.scope, seq = excluded.seq,
                              doc = excluded.doc, doc_shape = excluded.doc_shape
            """),  # noqa: S608 - table names and SQL are ours, values are parameters
            {
                "count": len(ordered),
                "entities": [e for (e, _r), _s in ordered],
                "records": [r for (_e, r), _s in ordered],
                "scopes": [s for _k, s in ordered],
            },
        )
        return bool(getattr(written, "rowcount", 0) == len(ordered))

    def _take_numbers(self, session: Session, count: int) -> int:
        """Reserve ``count`` numbers; the counter row stays locked until this commit."""
        counter = self.tables.counter
        last = session.execute(
            update(counter)
            .where(counter.c.id == 1)
            .values(value=counter.c.value + count)
            .returning(counter.c.value)
        ).scalar()
        if last is None:  # an empty database made without migrations
            session.execute(insert(counter).values(id=1, value=count))
            return count
        return int(last)

    def _upsert_changes(self, session: Session, rows: list[dict[str, Any]]) -> None:
        change = self.tables.change
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            stmt: Any = pg_insert(change)
        else:
            stmt = sqlite_insert(change)
        stmt = stmt.on_conflict_do_update(
            index_elements=[change.c.entity, change.c.record_id],
            # A document from before would describe the record as it was: it goes.
            set_={
                "scope": stmt.excluded.scope,
                "seq": stmt.excluded.seq,
                "doc": None,
                "doc_shape": None,
            },
        )
        session.execute(stmt, rows)


def _scope(record: Any) -> Any:
    """Every synced model has a ``scope`` property (see SyncRecord)."""
    return record.scope
