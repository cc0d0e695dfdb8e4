"""Sync benchmark against a real gunicorn server on loopback, on SQLite and PostgreSQL.

Prints: push throughput (mutations/s, 100-mutation batches) and p95 batch latency; pull
catch-up rate for a fresh device; the cost of a 100-change pull with 1,000 and with 100,000
records in the database (and their ratio); photo upload throughput and the bytes sent
again for photos the server already has. Figures only, no assertions; bounded in size and
time; everything runs on 127.0.0.1 and is stopped afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests
from PIL import Image
from sqlalchemy.engine import make_url

from bench import side_by_side
from bench.postgres import temporary_postgres
from bench.report import Row, print_rows
from bench.served import PASSWORD, SECRET, pg_database, serving
from sync.cursor import Cursor, encode
from tests.e2e.sync_load import signed_in

BATCH = 100
PUSH_BATCHES = 30
PHOTOS = 12


def main() -> None:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="trivsel-bench-") as tmp:
        results["sqlite"] = run_all(lambda name: f"sqlite:///{Path(tmp) / name}.sqlite3", Path(tmp))
        with temporary_postgres() as pg:
            if pg is None:
                print("\nPostgreSQL: not installed here (or not root); set BENCH_POSTGRES_URL.")
            else:
                results["postgresql"] = run_all(lambda name: pg_database(pg, name), Path(tmp))
                results["side_by_side"] = side_by_side.run(
                    lambda name: pg_database(pg, name), Path(tmp)
                )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"sync-{stamp}.json").write_text(json.dumps(results, indent=2))
    print(f"\nFigures saved in bench/results/sync-{stamp}.json")


def side_by_side_only() -> None:
    """``python -m bench side``: only issue 14's side-by-side workload (PostgreSQL)."""
    with tempfile.TemporaryDirectory(prefix="trivsel-bench-") as tmp, temporary_postgres() as pg:
        if pg is None:
            print("\nPostgreSQL: not installed here (or not root); set BENCH_POSTGRES_URL.")
            return
        side_by_side.run(lambda name: pg_database(pg, name), Path(tmp))


def run_all(make_url_for: Any, tmp: Path) -> dict[str, Any]:
    name = make_url(make_url_for("probe")).get_backend_name()
    print(f"\n== {name} ==")
    figures: dict[str, Any] = {}
    with serving(make_url_for("main"), tmp / f"{name}-main") as (base, _):
        figures.update(bench_push(base))
        figures.update(bench_catch_up(base))
        figures.update(bench_photos(base))
    costs = {}
    for size in (1_000, 100_000):
        with serving(make_url_for(f"pull{size}"), tmp / f"{name}-{size}", seed=size) as (base, ids):
            costs[size] = bench_pull_cost(base, ids)
    figures["pull_100_changes_ms_1k"] = costs[1_000]
    figures["pull_100_changes_ms_100k"] = costs[100_000]
    figures["pull_cost_ratio_100k_over_1k"] = costs[100_000] / costs[1_000]
    _print(figures)
    return figures


def bench_push(base: str) -> dict[str, Any]:
    session = signed_in(base, "familie@example.org", PASSWORD)
    meeting = _meeting(session, base)
    client_id = str(uuid.uuid4())
    latencies = []
    for b in range(PUSH_BATCHES):
        mutations = [_create(meeting, client_id, b * BATCH + i) for i in range(BATCH)]
        started = time.perf_counter()
        resp = session.post(
            f"{base}/api/sync/push",
            json={"client_id": client_id, "mutations": mutations},
            timeout=120,
        )
        latencies.append(time.perf_counter() - started)
        resp.raise_for_status()
    total = PUSH_BATCHES * BATCH
    created = [m["record_id"] for m in mutations]
    edit_latencies = []
    for b in range(10):  # edits of existing notes: each in its own savepoint, merged per field
        edits = [
            {
                "id": str(uuid.uuid4()),
                "entity": "board_note",
                "record_id": note_id,
                "op": "upsert",
                "base_version": 1,
                "fields": {"text": f"edit {b}"},
                "clock": f"{time.time_ns() // 1_000_000:013d}:{i:05d}:{client_id[:8]}",
            }
            for i, note_id in enumerate(created)
        ]
        started = time.perf_counter()
        session.post(
            f"{base}/api/sync/push", json={"client_id": client_id, "mutations": edits}, timeout=120
        ).raise_for_status()
        edit_latencies.append(time.perf_counter() - started)
    return {
        "push_mutations_per_s": total / sum(latencies),
        "push_batch_p95_ms": _p95(latencies) * 1000,
        "push_edits_per_s": 10 * BATCH / sum(edit_latencies),
    }


def bench_catch_up(base: str) -> dict[str, Any]:
    """A fresh device on a warm server: each worker has served a pull before (as in steady
    use), so per-process start-up costs are not counted as catch-up."""
    warm = signed_in(base, "paedagog@example.org", PASSWORD)
    for _ in range(4):
        warm.post(f"{base}/api/sync/pull", json={"limit": 1000}, timeout=120).raise_for_status()
    session = signed_in(base, "familie@example.org", PASSWORD)
    cursor, more, count = "", True, 0
    started = time.perf_counter()
    while more:
        page = session.post(
            f"{base}/api/sync/pull", json={"cursor": cursor, "limit": 1000}, timeout=120
        ).json()
        count += len(page["changes"])
        cursor, more = page["cursor"], page["more"]
    elapsed = time.perf_counter() - started
    return {"catch_up_changes": count, "catch_up_changes_per_s": count / elapsed}


def bench_pull_cost(base: str, ids: dict[str, str]) -> float:
    """Median ms of a pull that brings 100 changes, from a cursor just before them."""
    session = signed_in(base, "familie@example.org", PASSWORD)
    # A device that has everything up to the seeded notes: the cursor it would hold.
    scopes = frozenset({f"course:{ids['course']}", f"child:{ids['child']}", f"user:{ids['user']}"})
    cursor = encode(Cursor(seq=int(ids["seq"]), scopes=scopes), f"cursor:{SECRET}".encode())
    client_id = str(uuid.uuid4())
    mutations = [_create(ids["meeting"], client_id, i) for i in range(100)]
    session.post(
        f"{base}/api/sync/push", json={"client_id": client_id, "mutations": mutations}, timeout=120
    ).raise_for_status()
    timings = []
    for _ in range(25):
        started = time.perf_counter()
        page = session.post(
            f"{base}/api/sync/pull", json={"cursor": cursor, "limit": 500}, timeout=60
        ).json()
        timings.append(time.perf_counter() - started)
        assert len(page["changes"]) == 100, len(page["changes"])
    return statistics.median(timings) * 1000


def bench_photos(base: str) -> dict[str, Any]:
    session = signed_in(base, "familie@example.org", PASSWORD)
    photos = [_photo(seed) for seed in range(PHOTOS)]
    hashes = [_sha(p) for p in photos]
    sent = 0
    started = time.perf_counter()
    missing = set(
        session.post(f"{base}/api/blobs/missing", json={"hashes": hashes}, timeout=60).json()[
            "missing"
        ]
    )
    for data, digest in zip(photos, hashes, strict=True):
        if digest in missing:
            session.put(
                f"{base}/api/blobs/{digest}",
                data=data,
                headers={"Content-Type": "image/jpeg"},
                timeout=120,
            ).raise_for_status()
            sent += len(data)
    elapsed = time.perf_counter() - started
    again = session.post(f"{base}/api/blobs/missing", json={"hashes": hashes}, timeout=60).json()[
        "missing"
    ]
    resent = sum(len(p) for p, h in zip(photos, hashes, strict=True) if h in again)
    return {
        "photo_mb_per_s": sent / elapsed / 1e6,
        "photos_per_s": PHOTOS / elapsed,
        "photo_bytes_total": sent,
        "photo_bytes_resent_known": resent,
        "photo_bytes_resent_naive_baseline": sent,
    }


def _meeting(session: requests.Session, base: str) -> str:
    courses = session.get(f"{base}/api/courses", timeout=60).json()
    meetings = session.get(f"{base}/api/courses/{courses[0]['id']}/meetings", timeout=60).json()
    return str(meetings[0]["id"])


def _create(meeting: str, client_id: str, n: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "entity": "board_note",
        "record_id": str(uuid.uuid4()),
        "op": "upsert",
        "base_version": None,
        "clock": f"{time.time_ns() // 1_000_000:013d}:{n % 100000:05d}:{client_id[:8]}",
        "fields": {
            "meeting_id": meeting,
            "column": random.choice(["worries", "working", "next_steps"]),
            "text": f"Note {n}",
        },
    }


def _photo(seed: int) -> bytes:
    rng = random.Random(seed)
    img = Image.new("RGB", (1600, 1200), (rng.randrange(256), 120, 90))
    img.putdata(
        [
            (rng.randrange(256), rng.randrange(256), 128) if i % 7 == 0 else (200, 200, 200)
            for i in range(1600 * 1200)
        ]
    )
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def _print(figures: dict[str, Any]) -> None:
    rows: list[Row] = [
        (
            "push throughput (100-mutation batches)",
            "push_mutations_per_s",
            "mutations/s",
            ">= 2000",
        ),
        ("push p95 latency of one batch", "push_batch_p95_ms", "ms", ""),
        ("push throughput, edits of existing notes", "push_edits_per_s", "mutations/s", ""),
        ("pull catch-up, fresh device", "catch_up_changes_per_s", "changes/s", ">= 10000"),
        ("100-change pull, 1,000 records", "pull_100_changes_ms_1k", "ms", ""),
        ("100-change pull, 100,000 records", "pull_100_changes_ms_100k", "ms", ""),
        ("ratio 100k / 1k", "pull_cost_ratio_100k_over_1k", "", "<= 1.3"),
        ("photo upload", "photo_mb_per_s", "MB/s", ""),
        ("photo upload", "photos_per_s", "photos/s", ""),
        ("bytes re-sent, known photos", "photo_bytes_resent_known", "bytes", "0"),
        ("  (naive client would re-send)", "photo_bytes_resent_naive_baseline", "bytes", ""),
    ]
    print_rows(figures, rows)
