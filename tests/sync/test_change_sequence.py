"""The change sequence never lets a pull skip a change (PROTOCOL.md property 2).

Writers in parallel threads commit out of order — each one pauses *after* taking its
sequence number and *before* its commit, the exact window in which a number taken too early
would let a puller's cursor pass an uncommitted change. Pullers pull all the while. At the
end every puller must hold every record in its latest version. Runs on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, String, create_engine, insert, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from server.database import configure_engine
from sync import SyncRecord
from sync.changelog import ChangeLog
from sync.cursor import Cursor
from sync.pull import read_page
from sync.tables import SyncTables, define_tables
from tests.harness import empty_database_url, is_postgres


class ToyBase(DeclarativeBase):
    metadata = MetaData()


class Note(SyncRecord, ToyBase):
    __tablename__ = "toy_note"
    course: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(200))

    @property
    def scope(self) -> str:
        return f"course:{self.course}"


TABLES = define_tables(ToyBase.metadata)


class SlowCommitLog(ChangeLog):
    """Pauses between taking numbers and committing, to provoke out-of-order commits."""

    def _upsert_changes(self, session: Session, rows: list[dict[str, Any]]) -> None:
        super()._upsert_changes(session, rows)
        time.sleep(random.uniform(0, 0.02))


@pytest.fixture
def factory(tmp_path: Path) -> Any:
    engine = create_engine(
        empty_database_url(tmp_path, "changeseq"),
        pool_size=12,
        connect_args=_connect_args(tmp_path),
    )
    configure_engine(engine)  # the server's SQLite settings: one writer at a time
    ToyBase.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(TABLES.counter).values(id=1, value=0))
    maker = sessionmaker(engine, expire_on_commit=False)
    SlowCommitLog(TABLES, {Note: "note"}).install(maker)
    yield maker
    engine.dispose()


def _connect_args(tmp_path: Path) -> dict[str, Any]:
    return {} if is_postgres() else {"timeout": 30}


def _writer(maker: Any, ids: list[str], rounds: int, errors: list[BaseException]) -> None:
    try:
        for round_no in range(rounds):
            with maker() as session, session.begin():
                # Every third round edits an existing note: a fixed share, so the number of
                # notes made (17 per writer) does not depend on chance.
                if ids and round_no % 3 == 2:
                    note = session.get(Note, random.choice(ids), with_for_update=True)
                    assert note is not None
                    note.text = f"edited {uuid.uuid4()}"
                else:
                    note = Note(id=str(uuid.uuid4()), course=random.choice("ab"), text="new")
                    session.add(note)
            if note.id not in ids:
                ids.append(note.id)
    except BaseException as exc:  # pragma: no cover - reported by the test
        errors.append(exc)


def _puller(maker: Any, stop: threading.Event, seen: dict[str, int]) -> Cursor:
    cursor = Cursor.start()
    scopes = frozenset({"course:a", "course:b"})
    while True:
        finished = stop.is_set()  # read before pulling: the last pass sees everything
        with maker() as session:
            page = read_page(session, TABLES, cursor, scopes, limit=7)
            versions = dict(
                session.execute(
                    select(Note.id, Note.version).where(
                        Note.id.in_([c.record_id for c in page.changes])
                    )
                ).all()
            )
        for ref in page.changes:
            seen[ref.record_id] = max(seen.get(ref.record_id, 0), versions[ref.record_id])
        cursor = page.cursor
        if finished and not page.more:
            return cursor


def test_pullers_miss_nothing_while_writers_commit_out_of_order(factory: Any) -> None:
    ids: list[str] = []
    errors: list[BaseException] = []
    writers = [threading.Thread(target=_writer, args=(factory, ids, 25, errors)) for _ in range(4)]
    stop = threading.Event()
    seen: list[dict[str, int]] = [{}, {}, {}]
    pullers = [threading.Thread(target=_puller, args=(factory, stop, s)) for s in seen]
    for t in writers + pullers:
        t.start()
    for t in writers:
        t.join(timeout=120)
    stop.set()
    for t in pullers:
        t.join(timeout=120)
    assert not errors, errors
    with factory() as session:
        truth = dict(session.execute(select(Note.id, Note.version)).all())
    assert len(truth) > 50
    for s in seen:
        assert s == truth


def test_rolled_back_savepoint_leaves_no_change_behind(factory: Any) -> None:
    log_tables: SyncTables = TABLES
    with factory() as session, session.begin():
        session.add(Note(id=str(uuid.uuid4()), course="a", text="kept"))
        try:
            with session.begin_nested():
                session.add(Note(id=str(uuid.uuid4()), course="a", text="rolled back"))
                session.flush()
                raise RuntimeError("refused")
        except RuntimeError:
            pass
    with factory() as session:
        page = read_page(session, log_tables, Cursor.start(), frozenset({"course:a"}), 10)
        texts = [session.get(Note, ref.record_id) for ref in page.changes]
    assert [n.text for n in texts if n is not None] == ["kept"]
    assert len(page.changes) == 1
