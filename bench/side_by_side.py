"""Issue 14's side-by-side workload, run the same way against Trivsel and against Kinto.

- push: ``THREADS`` client threads at once, each sending batches of ``BATCH`` new notes
  (Kinto: ``POST /v1/batch`` with ``BATCH`` record PUTs; 25 is Kinto's largest batch, and a
  sub-request Kinto answers "409, please retry" is sent again, as a client must); records
  stored per second.
- pull catch-up: a fresh device fetches everything there is, pages of ``PAGE`` records
  (Trivsel: ``/api/sync/pull`` from no cursor; Kinto: the collection's records, following
  ``Next-Page``); records per second, the median of ``CATCH_UPS`` devices, after
  ``WARM_UPS`` untimed ones (a server in use has warm workers; the first request a worker
  serves pays for its start).

Both servers run on the same PostgreSQL server with the same number of gunicorn workers, at
the same time. The machine is shared, so its load drifts: the two take turns, in ``ROUNDS``
rounds (ABBA order), and each figure adds up that server's own turns.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import requests

from bench import kinto
from bench.served import PASSWORD, serving
from bench.threads import run_together
from tests.e2e.sync_load import signed_in, stamp

THREADS = 4
BATCH = 25
ROUNDS = 4
BATCHES = 10  # per thread and round: 4 rounds x 4 threads x 10 x 25 = 4,000 records
PAGE = 1000
CATCH_UPS = 12
WARM_UPS = 2  # untimed catch-ups first: every worker has served pulls, as in steady use
KINTO_RETRIES = 10
WORKERS = 4
EMAIL = "familie@example.org"
COLUMNS = ("worries", "working", "next_steps")


class Server(Protocol):
    name: str

    def push(self, thread: int, batch: int, size: int = BATCH) -> int:
        """Send one batch of ``size`` new notes; the number stored."""

    def catch_up(self) -> Callable[[], tuple[int, int]]:
        """A fresh device (signed in); calling it pulls everything, returning the count of
        records and the bytes that came over the wire (compressed, when they were)."""


class Trivsel:
    name = "Trivsel"

    def __init__(self, base: str, password: str, meeting: str) -> None:
        self.base, self.password, self.meeting = base, password, meeting
        # One tablet per thread: its own session and client id.
        self.tablets = [
            (signed_in(base, EMAIL, password), str(uuid.uuid4())) for _ in range(THREADS)
        ]

    def push(self, thread: int, batch: int, size: int = BATCH) -> int:
        session, client_id = self.tablets[thread]
        mutations = [
            {
                "id": str(uuid.uuid4()),
                "entity": "board_note",
                "record_id": str(uuid.uuid4()),
                "op": "upsert",
                "base_version": None,
                "clock": stamp(client_id, batch * BATCH + n),
                "fields": {
                    "meeting_id": self.meeting,
                    "column": COLUMNS[n % 3],
                    "text": f"Note {batch * BATCH + n} fra tavlen",
                },
            }
            for n in range(size)
        ]
        resp = session.post(
            f"{self.base}/api/sync/push",
            timeout=120,
            json={"client_id": client_id, "mutations": mutations},
        )
        resp.raise_for_status()
        return sum(r["status"] == "applied" for r in resp.json()["results"])

    def catch_up(self) -> Callable[[], tuple[int, int]]:
        session = signed_in(self.base, EMAIL, self.password)

        def pull_all() -> tuple[int, int]:
            cursor, more, count, wire = "", True, 0, 0
            while more:
                resp = session.post(
                    f"{self.base}/api/sync/pull",
                    timeout=120,
                    json={"cursor": cursor, "limit": PAGE},
                )
                resp.raise_for_status()
                page = resp.json()
                count += len(page["changes"])
                wire += _wire_bytes(resp)
                cursor, more = page["cursor"], page["more"]
            return count, wire

        return pull_all


class Kinto:
    name = "Kinto"

    def __init__(self, base: str, meeting: str) -> None:
        self.base, self.meeting = base, meeting
        self.sessions = [_kinto_session() for _ in range(THREADS)]
        self.records = f"/buckets/{kinto.BUCKET}/collections/{kinto.COLLECTION}/records"

    def push(self, thread: int, batch: int, size: int = BATCH) -> int:
        todo = [
            {
                "path": f"{self.records}/{uuid.uuid4()}",
                "body": {
                    "data": {
                        "meeting_id": self.meeting,
                        "column": COLUMNS[n % 3],
                        "text": f"Note {batch * BATCH + n} fra tavlen",
                    }
                },
            }
            for n in range(size)
        ]
        stored = 0
        for _attempt in range(KINTO_RETRIES):
            resp = self.sessions[thread].post(
                f"{self.base}/batch",
                timeout=120,
                json={"defaults": {"method": "PUT"}, "requests": todo},
            )
            resp.raise_for_status()
            answers = resp.json()["responses"]
            stored += sum(r["status"] == 201 for r in answers)
            # Concurrent writers to one collection are answered "409 Integrity constraint
            # violated, please retry" now and then.
            todo = [req for req, r in zip(todo, answers, strict=True) if r["status"] in (409, 503)]
            if not todo:
                break
        return stored

    def catch_up(self) -> Callable[[], tuple[int, int]]:
        session = _kinto_session()
        first = f"{self.base}{self.records}?_limit={PAGE}"

        def pull_all() -> tuple[int, int]:
            url: str | None = first
            count = wire = 0
            while url:
                resp = session.get(url, timeout=120)
                resp.raise_for_status()
                count += len(resp.json()["data"])
                wire += _wire_bytes(resp)
                url = resp.headers.get("Next-Page")
            return count, wire

        return pull_all


def _wire_bytes(resp: requests.Response) -> int:
    """The answer's body as it came over the wire (requests has decompressed it already)."""
    return int(resp.headers.get("Content-Length") or len(resp.content))


def _kinto_session() -> requests.Session:
    session = requests.Session()
    session.auth = kinto.credentials()
    return session


def push_round(server: Server, round_: int) -> tuple[int, float]:
    """THREADS threads, BATCHES batches each: (records stored, seconds)."""
    stored = [0] * THREADS

    def work(thread: int) -> None:
        for b in range(BATCHES):
            stored[thread] += server.push(thread, round_ * BATCHES + b)

    elapsed = run_together(work, THREADS)
    return sum(stored), elapsed


def measure(servers: list[Server]) -> dict[str, dict[str, float]]:
    """Push rounds, then catch-ups, the servers taking turns in ABBA order."""
    pushed = {s.name: [0.0, 0.0] for s in servers}
    for r in range(ROUNDS):
        for server in servers if r % 2 == 0 else reversed(servers):
            count, seconds = push_round(server, r)
            pushed[server.name][0] += count
            pushed[server.name][1] += seconds
    _same_records(servers)
    for server in servers:
        for _ in range(WARM_UPS):
            server.catch_up()()
    rates: dict[str, list[float]] = {s.name: [] for s in servers}
    counts: dict[str, tuple[int, int]] = {}
    for r in range(CATCH_UPS):
        for server in servers if r % 2 == 0 else reversed(servers):
            pull_all = server.catch_up()
            started = time.perf_counter()
            counts[server.name] = pull_all()
            rates[server.name].append(counts[server.name][0] / (time.perf_counter() - started))
    return {
        s.name: {
            "push": pushed[s.name][0] / pushed[s.name][1],
            "catch_up": statistics.median(rates[s.name]),
            "catch_up_records": counts[s.name][0],
            "catch_up_wire_bytes": counts[s.name][1],
        }
        for s in servers
    }


def _same_records(servers: list[Server]) -> None:
    """Every server's fresh device pulls as many records: Trivsel's also holds the demo
    course's own records, so the other gets as many more notes (fewer records would mean
    fewer pages, and a page costs a round trip)."""
    counts = {s.name: s.catch_up()()[0] for s in servers}
    most = max(counts.values())
    for server in servers:
        missing = most - counts[server.name]
        for batch, start in enumerate(range(0, missing, BATCH)):
            server.push(0, ROUNDS * BATCHES + batch, min(BATCH, missing - start))


def run(make_url_for: Callable[[str], str], tmp: Path) -> dict[str, Any]:
    """Both servers on the benchmark's PostgreSQL; figures of Trivsel, and of Kinto when
    ``KINTO_URL`` asks for it (see bench/kinto.py)."""
    with (
        serving(make_url_for("side_by_side"), tmp / "side-by-side", workers=WORKERS) as (base, ids),
        _maybe_kinto(make_url_for, tmp) as kinto_base,
    ):
        servers: list[Server] = [Trivsel(base, PASSWORD, ids["meeting"])]
        if kinto_base:
            servers.append(Kinto(kinto_base, ids["meeting"]))
        results = measure(servers)
    figures: dict[str, Any] = {}
    for name, key in (("Trivsel", ""), ("Kinto", "kinto_")):
        if name in results:
            figures[f"{key}push_records_per_s"] = results[name]["push"]
            figures[f"{key}catch_up_records_per_s"] = results[name]["catch_up"]
            figures[f"{key}catch_up_records"] = results[name]["catch_up_records"]
            figures[f"{key}catch_up_wire_bytes"] = results[name]["catch_up_wire_bytes"]
    _print(figures)
    return figures


@contextmanager
def _maybe_kinto(make_url_for: Callable[[str], str], tmp: Path) -> Iterator[str | None]:
    if kinto.wanted() is None:
        yield None
        return
    with kinto.kinto_server(make_url_for("kinto"), WORKERS, tmp / "kinto") as base:
        yield base


def _print(figures: dict[str, Any]) -> None:
    print(
        f"\n  side by side: {THREADS} threads x batches of {BATCH} new notes, "
        f"{ROUNDS * THREADS * BATCHES * BATCH:,} each; catch-up in pages of {PAGE}; "
        f"gunicorn {WORKERS} workers each, one PostgreSQL; turns taken ABBA"
    )
    has_kinto = "kinto_push_records_per_s" in figures
    for label, ours, theirs, aim in (
        ("push", "push_records_per_s", "kinto_push_records_per_s", ">= 10 x Kinto and >= 2,000/s"),
        (
            "pull catch-up, fresh device",
            "catch_up_records_per_s",
            "kinto_catch_up_records_per_s",
            ">= Kinto",
        ),
    ):
        line = f"  {label:<30} Trivsel {figures[ours]:>9,.0f} records/s"
        if has_kinto:
            ratio = figures[ours] / figures[theirs]
            line += f"   Kinto {figures[theirs]:>9,.0f} records/s   {ratio:5.2f} x"
        else:
            line += "   (Kinto: KINTO_URL=start)"
        print(f"{line}   aim {aim}")
    # What a tablet on a weak link waits for: the bytes of a catch-up as they travel.
    line = (
        f"  {'catch-up bytes on the wire':<30} Trivsel {figures['catch_up_wire_bytes']:>9,} "
        f"for {figures['catch_up_records']:,} records"
    )
    if has_kinto:
        line += (
            f"   Kinto {figures['kinto_catch_up_wire_bytes']:>9,} "
            f"for {figures['kinto_catch_up_records']:,}"
        )
    print(line)
