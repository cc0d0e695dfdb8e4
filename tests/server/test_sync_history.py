"""After a restore no tablet skips a change (sync/history.py, PROTOCOL.md "Change history").

A restored database numbers its next changes from the backup's counter again. Here the
restore is made on the sync tables as it would leave them: the counter and the change rows
as the backup holds them, the notes made after the backup gone. (The whole restore, with
the documented commands, is tests/ops/test_restore.py.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import delete, insert, select, update

from server.extensions import db
from server.models import SYNC_TABLES, BoardNote
from server.sync.routes import cursor_key
from tests.harness import ApiClient
from tests.server.syncclient import SYNC, Device
from tests.server.world import created


def counter(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(SYNC_TABLES.counter.c.value).where(SYNC_TABLES.counter.c.id == 1)
            )
            or 0
        )


@dataclass(frozen=True)
class Backup:
    """The change sequence as a backup holds it."""

    seq: int
    changes: list[dict[str, Any]]


def take_backup(app: Flask) -> Backup:
    with app.app_context():
        rows = [dict(r) for r in db.session.execute(select(SYNC_TABLES.change)).mappings()]
    return Backup(counter(app), rows)


def restore(app: Flask, backup: Backup) -> None:
    """What restoring ``backup`` does to the change sequence; notes made since it are gone
    (the test puts back any record it changed since)."""
    change = SYNC_TABLES.change
    kept = {r["record_id"] for r in backup.changes}
    with app.app_context():
        made_since = [
            record_id
            for entity, record_id in db.session.execute(
                select(change.c.entity, change.c.record_id).where(change.c.seq > backup.seq)
            )
            if record_id not in kept
        ]
        db.session.execute(delete(BoardNote).where(BoardNote.id.in_(made_since)))
        db.session.execute(delete(change))
        db.session.execute(insert(change), backup.changes)
        db.session.execute(
            update(SYNC_TABLES.counter)
            .where(SYNC_TABLES.counter.c.id == 1)
            .values(value=backup.seq)
        )
        db.session.commit()


def note(client: ApiClient, meeting: str, text: str) -> str:
    return str(
        created(
            client.post("/api/notes", {"meeting_id": meeting, "column": "working", "text": text})
        )["id"]
    )


def bad_cursor(client: ApiClient, cursor: str) -> bool:
    resp = client.post("/api/sync/pull", {"cursor": cursor}, headers=SYNC)
    return resp.status_code == 400 and resp.get_json()["error"]["code"] == "bad_cursor"


def server_copy(as_user: Any, name: str) -> dict[tuple[str, str], int]:
    """What a new device of that user holds after one sync: record → version."""
    fresh = Device(as_user(name))
    fresh.pull()
    return {key: record["version"] for key, record in fresh.records.items()}


def test_a_restore_makes_every_tablet_pull_again_and_none_skips_a_change(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie, paedagog = as_user("familie"), as_user("paedagog")
    ahead, behind = Device(familie), Device(paedagog)
    ahead.pull()
    backup = take_backup(app)  # the nightly backup is taken here

    # After the backup: a note, which both tablets receive; the paedagog's tablet then
    # stays offline for a while.
    lost = note(familie, demo["meeting"], "Skrevet efter backuppen")
    ahead.pull()
    behind.pull()
    assert ("board_note", lost) in ahead.records and ("board_note", lost) in behind.records

    restore(app, backup)
    # The first tablet back is ahead of the restored server: refused, and the server begins
    # a new history.
    assert bad_cursor(familie, ahead.cursor)
    ahead.pull()  # from the start
    assert {
        k: r["version"] for k, r in ahead.records.items() if k != ("board_note", lost)
    } == server_copy(as_user, "familie")

    # The restored server hands out the number the lost note had, to a new note. The other
    # tablet's cursor is not ahead of the server now, and would skip this note for good;
    # its history is the old one, so it is refused and pulls again from the start.
    reused = note(familie, demo["meeting"], "Skrevet efter gendannelsen")
    assert counter(app) == backup.seq + 1
    assert bad_cursor(paedagog, behind.cursor)
    behind.pull()
    assert ("board_note", reused) in behind.records
    ahead.pull()
    assert ("board_note", reused) in ahead.records
    # What the server lost stays on the tablets that had it (it may be the only copy left);
    # everything the server has, they have as the server has it.
    for device, name in ((ahead, "familie"), (behind, "paedagog")):
        held = {k: r["version"] for k, r in device.records.items()}
        assert {k: v for k, v in held.items() if k != ("board_note", lost)} == server_copy(
            as_user, name
        )

    # Each tablet was refused once: the next pulls go on from their new cursors.
    assert not bad_cursor(familie, ahead.cursor) and not bad_cursor(paedagog, behind.cursor)


def test_a_tablet_takes_the_restored_servers_older_copy_of_a_record(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    meeting = demo["meeting"]
    edited = note(familie, meeting, "Før backuppen")
    tablet = Device(familie)
    tablet.pull()
    backup = take_backup(app)
    with app.app_context():  # a restore keeps the record as it was at the backup
        row = db.session.get(BoardNote, edited)
        assert row is not None
        at_backup = (row.text, row.version)
    familie.patch(f"/api/notes/{edited}", {"text": "Efter backuppen"})
    tablet.pull()
    assert tablet.records[("board_note", edited)]["fields"]["text"] == "Efter backuppen"

    restore(app, backup)
    with app.app_context():
        db.session.execute(
            update(BoardNote)
            .where(BoardNote.id == edited)
            .values(text=at_backup[0], version=at_backup[1])
        )
        db.session.commit()
    tablet.pull()
    record = tablet.records[("board_note", edited)]
    assert (record["fields"]["text"], record["version"]) == at_backup


def test_after_the_operators_command_every_cursor_is_refused_and_the_start_is_not(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    tablet = Device(familie)
    tablet.pull()
    result = app.test_cli_runner().invoke(args=["sync", "new-history"])
    assert result.exit_code == 0 and "new change history" in result.output
    assert bad_cursor(familie, tablet.cursor)  # not ahead, yet from before the restore
    assert not bad_cursor(familie, "")
    before = dict(tablet.records)
    tablet.pull()
    assert tablet.records == before  # nothing lost, nothing doubled


def old_format_cursor(app: Flask, seq: int, scopes: list[str]) -> str:
    """A cursor as the previous version of the server wrote it (version 1)."""
    body = json.dumps({"v": 1, "s": seq, "sc": sorted(scopes)}, separators=(",", ":"))
    payload = base64.urlsafe_b64encode(body.encode()).rstrip(b"=")
    with app.app_context():
        key = cursor_key()
    sig = hmac.new(key, b"trivsel-cursor:" + payload, hashlib.sha256).digest()
    return f"{payload.decode()}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


def test_a_tablet_keeps_its_place_across_the_update_unless_the_database_was_restored(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    tablet = Device(familie)
    tablet.pull()
    scopes = [
        f"course:{demo['course']}",
        f"child:{demo['children']['Emma']}",
        f"user:{demo['users']['familie']}",
    ]
    tablet.cursor = old_format_cursor(app, counter(app), scopes)
    added = note(familie, demo["meeting"], "Efter opdateringen")
    assert [c["id"] for c in tablet.pull()] == [added]  # only what is new: its place kept
    app.test_cli_runner().invoke(args=["sync", "new-history"])
    assert bad_cursor(familie, old_format_cursor(app, counter(app), scopes))
