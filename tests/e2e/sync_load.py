"""Pushers and pullers for the concurrency test, run in separate processes against gunicorn.

Bounded: each pusher sends a fixed number of batches; each puller stops once told that
all pushers are done and it has caught up.
"""

from __future__ import annotations

import random
import time
import uuid
from typing import Any

import requests

from tests.harness import SYNC, sign_in


def signed_in(base: str, email: str, password: str) -> requests.Session:
    session = sign_in(base, email, password)
    session.headers.update(SYNC)
    return session


def stamp(client: str, counter: int) -> str:
    return f"{time.time_ns() // 1_000_000:013d}:{counter % 100000:05d}:{client[:8]}"


def pusher(
    base: str,
    email: str,
    password: str,
    meeting_id: str,
    shared: list[str],
    batches: int,
    seed: int,
) -> int:
    """Create and edit notes in batches of 20; returns the number of mutations applied."""
    rng = random.Random(seed)
    session = signed_in(base, email, password)
    client_id = str(uuid.uuid4())
    mine: list[str] = []
    applied = 0
    counter = 0
    for _ in range(batches):
        mutations: list[dict[str, Any]] = []
        for _ in range(20):
            counter += 1
            if mine and rng.random() < 0.5:
                target = rng.choice(mine + shared)
                fields: dict[str, Any] = {"text": f"{email} {counter}"}
            else:
                target = str(uuid.uuid4())
                mine.append(target)
                fields = {"meeting_id": meeting_id, "column": "worries", "text": "ny"}
            mutations.append(
                {
                    "id": str(uuid.uuid4()),
                    "entity": "board_note",
                    "record_id": target,
                    "op": "upsert",
                    "fields": fields,
                    "base_version": None,
                    "clock": stamp(client_id, counter),
                }
            )
        for _attempt in range(5):
            results = _push(session, base, client_id, mutations)
            applied += sum(r["status"] in ("applied", "merged", "duplicate") for r in results)
            # As the app does: what failed on the server (e.g. a deadlock victim on
            # PostgreSQL) stays queued and goes again; validation errors would not.
            mutations = [
                m
                for m, r in zip(mutations, results, strict=True)
                if r["status"] == "rejected" and r["error"]["code"] == "server_error"
            ]
            if not mutations:
                break
    return applied


def _push(
    session: requests.Session, base: str, client_id: str, mutations: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    for _attempt in range(5):  # a lost answer is simply sent again: pushes are idempotent
        try:
            resp = session.post(
                f"{base}/api/sync/push",
                timeout=60,
                json={"client_id": client_id, "mutations": mutations},
            )
            resp.raise_for_status()
            results: list[dict[str, Any]] = resp.json()["results"]
            return results
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError("push kept failing")


def puller(base: str, email: str, password: str, done_flag: str) -> dict[str, Any]:
    """Pull until ``done_flag`` exists and a pull brings nothing more; returns id → state."""
    from pathlib import Path

    session = signed_in(base, email, password)
    cursor = ""
    state: dict[str, Any] = {}
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        finished = Path(done_flag).exists()  # read before pulling: the last pass sees all
        more = True
        while more:
            page = session.post(
                f"{base}/api/sync/pull", json={"cursor": cursor, "limit": 50}, timeout=60
            ).json()
            for change in page["changes"]:
                known = state.get(change["id"])
                if known is None or known["version"] <= change["version"]:
                    state[change["id"]] = {
                        "entity": change["entity"],
                        "version": change["version"],
                        "fields": change.get("fields"),
                        "deleted": change["deleted"],
                    }
            cursor, more = page["cursor"], page["more"]
        if finished:
            return state
        time.sleep(0.05)
    raise TimeoutError("puller did not finish")
