"""A minimal sync client for tests, written from sync/PROTOCOL.md: an outbox, push, pull."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sync.clock import Clock
from tests.harness import Client

SYNC = {"Sync-Protocol": "1"}


@dataclass
class Device:
    """One installation of the app: its own client id, clock, outbox and local records."""

    api: Client
    client_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    now_ms: int = field(default_factory=lambda: time.time_ns() // 1_000_000)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    cursor: str = ""
    # After a bad_cursor: pulling again from the start, taking the server's copies as they
    # are, even older versions than ours (the server's database was restored).
    starting_over: bool = False

    def __post_init__(self) -> None:
        self.clock = Clock(self.client_id[:8], now_ms=lambda: self.now_ms)

    def stamp(self) -> str:
        return str(self.clock.tick())

    def upsert(self, entity: str, record_id: str, **fields: Any) -> dict[str, Any]:
        return self._queue(entity, record_id, "upsert", fields)

    def delete(self, entity: str, record_id: str) -> dict[str, Any]:
        return self._queue(entity, record_id, "delete", {})

    def restore(self, entity: str, record_id: str, **fields: Any) -> dict[str, Any]:
        return self._queue(entity, record_id, "restore", fields)

    def _queue(
        self, entity: str, record_id: str, op: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        known = self.records.get((entity, record_id))
        mutation = {
            "id": str(uuid.uuid4()),
            "entity": entity,
            "record_id": record_id,
            "op": op,
            "fields": fields,
            "base_version": known["version"] if known else None,
            "clock": self.stamp(),
        }
        self.outbox.append(mutation)
        return mutation

    def push(self) -> list[dict[str, Any]]:
        resp = self.api.post(
            "/api/sync/push", {"client_id": self.client_id, "mutations": self.outbox}, headers=SYNC
        )
        assert resp.status_code == 200, resp.get_json()
        results: list[dict[str, Any]] = resp.get_json()["results"]
        self.outbox = [
            m for m, r in zip(self.outbox, results, strict=True) if r["status"] == "rejected"
        ]
        return results

    def pull(self) -> list[dict[str, Any]]:
        changes: list[dict[str, Any]] = []
        while True:
            resp = self.api.post("/api/sync/pull", {"cursor": self.cursor}, headers=SYNC)
            if resp.status_code == 400 and resp.get_json()["error"]["code"] == "bad_cursor":
                assert self.cursor, "the start is never a bad cursor"
                self.cursor, self.starting_over = "", True
                continue
            assert resp.status_code == 200, resp.get_json()
            page = resp.get_json()
            for change in page["changes"]:
                self._take(change)
            changes += page["changes"]
            self.cursor = page["cursor"]
            if not page["more"]:
                self.starting_over = False
                return changes

    def pull_record(self, entity: str, record_id: str) -> dict[str, Any]:
        """A fresh device's copy of one record: the server's state."""
        self.pull()
        return self.records[(entity, record_id)]

    def _take(self, change: dict[str, Any]) -> None:
        if change["entity"] == "scope":
            self.records = {k: v for k, v in self.records.items() if v.get("scope") != change["id"]}
            return
        key = (change["entity"], change["id"])
        known = self.records.get(key)
        if known is None or known["version"] <= change["version"] or self.starting_over:
            self.records[key] = change
