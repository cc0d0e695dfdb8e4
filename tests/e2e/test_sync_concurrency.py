"""Several pushers through gunicorn's several workers while several pullers pull: at the
end every puller holds exactly the server's state (PROTOCOL.md property 2). Runs on SQLite,
and on PostgreSQL when TEST_DATABASE_URL is set (CI)."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from server.extensions import db
from tests.e2e.sync_load import puller, pusher, signed_in
from tests.harness import gunicorn, migrated_app, migrated_database_url, settings

PASSWORD = "concurrency-password"
pytestmark = pytest.mark.slow


def test_every_puller_ends_with_the_servers_state(tmp_path: Path) -> None:
    env = settings(
        tmp_path, migrated_database_url(tmp_path, "concurrency"), LOGIN_RATE_LIMIT="1000 per minute"
    )
    app = migrated_app(env, demo_password=PASSWORD)
    with app.app_context():
        from server.models import Meeting

        meeting_id = db.session.query(Meeting.id).scalar()
        db.engine.dispose()
    done = tmp_path / "pushers-done"
    with gunicorn(env, workers=4) as base:
        seed_session = signed_in(base, "familie@example.org", PASSWORD)
        shared = _shared_notes(seed_session, base, meeting_id)
        # Not fork (this process has threads); a fork server that imported the load
        # functions once, instead of six spawned interpreters importing the app each
        # (about 1.5 s of CPU apiece).
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([puller.__module__])
        with ProcessPoolExecutor(max_workers=6, mp_context=ctx) as pool:
            pullers = [
                pool.submit(puller, base, email, PASSWORD, str(done))
                for email in ("familie@example.org", "paedagog@example.org", "familie@example.org")
            ]
            pushers = [
                pool.submit(pusher, base, email, PASSWORD, meeting_id, shared, 8, seed)
                for seed, email in enumerate(
                    ("familie@example.org", "paedagog@example.org", "familie@example.org")
                )
            ]
            applied = sum(f.result(timeout=300) for f in pushers)
            done.touch()
            states = [f.result(timeout=300) for f in pullers]
        truth = _server_state(seed_session, base)
    assert applied == 3 * 8 * 20
    notes = {k: v for k, v in truth.items() if v["entity"] == "board_note"}
    assert len(notes) > 200
    # Conflicts travel only to their author: familie's pullers hold exactly the server's
    # state; the educator's puller holds the same records apart from familie's conflicts.
    assert states[0] == truth
    assert states[2] == truth
    assert {k: v for k, v in states[1].items() if v["entity"] != "conflict"} == {
        k: v for k, v in truth.items() if v["entity"] != "conflict"
    }
    assert any(v["entity"] == "conflict" for v in truth.values())


def _shared_notes(session: object, base: str, meeting_id: str) -> list[str]:
    """Five notes every pusher edits, so that concurrent edits meet."""
    import uuid

    import requests

    assert isinstance(session, requests.Session)
    ids = [str(uuid.uuid4()) for _ in range(5)]
    mutations = [
        {
            "id": str(uuid.uuid4()),
            "entity": "board_note",
            "record_id": note_id,
            "op": "upsert",
            "clock": f"{0:013d}:00000:seed",
            "fields": {"meeting_id": meeting_id, "column": "working", "text": "fælles"},
        }
        for note_id in ids
    ]
    resp = session.post(
        f"{base}/api/sync/push",
        timeout=60,
        json={"client_id": str(uuid.uuid4()), "mutations": mutations},
    )
    assert all(r["status"] == "applied" for r in resp.json()["results"]), resp.json()
    return ids


def _server_state(session: object, base: str) -> dict[str, dict[str, Any]]:
    """What a brand-new device gets: the server's current state."""
    import requests

    assert isinstance(session, requests.Session)
    state: dict[str, dict[str, Any]] = {}
    cursor, more = "", True
    while more:
        page = session.post(
            f"{base}/api/sync/pull", json={"cursor": cursor, "limit": 500}, timeout=60
        ).json()
        for change in page["changes"]:
            state[change["id"]] = {
                "entity": change["entity"],
                "version": change["version"],
                "fields": change.get("fields"),
                "deleted": change["deleted"],
            }
        cursor, more = page["cursor"], page["more"]
    return state
