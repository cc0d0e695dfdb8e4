"""Issue 14's side-by-side workload, run the same way against Trivsel and against Kinto.

- push: ``THREADS`` client threads, each sending ``BATCHES`` batches of ``BATCH`` new notes
  (Kinto: ``POST /v1/batch`` with ``BATCH`` record PUTs; 25 is Kinto's largest batch);
  records per second over the whole run.
- pull catch-up: a fresh device fetches everything there is, pages of ``PAGE`` records
  (Trivsel: ``/api/sync/pull`` from no cursor; Kinto: the collection's records, following
  ``Next-Page``); records per second, the median of ``CATCH_UPS`` devices.

Both servers run on the same PostgreSQL server with the same number of gunicorn workers.
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from bench import kinto
from tests.e2e.sync_load import signed_in, stamp

THREADS = 4
BATCH = 25
BATCHES = 40  # per thread: 4 x 40 x 25 = 4,000 records
PAGE = 1000
CATCH_UPS = 5
KINTO_RETRIES = 10
WORKERS = 4


def _threads(work: Callable[[int], int]) -> float:
    """Runs ``work(i)`` in THREADS threads at once; records per second over all of them."""
    done = [0] * THREADS
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            done[i] = work(i)
        except BaseException as exc:  # reported after the others finish
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return sum(done) / elapsed


def push_trivsel(base: str, email: str, password: str, meeting: str) -> float:
    """New notes from THREADS tablets (one session and client id each) at once."""
    sessions = [signed_in(base, email, password) for _ in range(THREADS)]

    def work(i: int) -> int:
        session, client_id, applied = sessions[i], str(uuid.uuid4()), 0
        for b in range(BATCHES):
            mutations = [_note_mutation(meeting, client_id, b * BATCH + n) for n in range(BATCH)]
            resp = session.post(f"{base}/api/sync/push", timeout=120,
                                json={"client_id": client_id, "mutations": mutations})
            resp.raise_for_status()
            applied += sum(r["status"] == "applied" for r in resp.json()["results"])
        return applied

    return _threads(work)


def _note_mutation(meeting: str, client_id: str, n: int) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "entity": "board_note", "record_id": str(uuid.uuid4()),
            "op": "upsert", "base_version": None, "clock": stamp(client_id, n),
            "fields": {"meeting_id": meeting, "column": ("worries", "working", "next_steps")[
                n % 3], "text": f"Note {n} fra tavlen"}}


def push_kinto(base: str, meeting: str) -> float:
    """The same notes as Kinto records, one batch request per BATCH records."""
    sessions = [_kinto_session() for _ in range(THREADS)]
    path = f"/buckets/{kinto.BUCKET}/collections/{kinto.COLLECTION}/records"

    def work(i: int) -> int:
        session, created = sessions[i], 0
        for b in range(BATCHES):
            todo = [{"path": f"{path}/{uuid.uuid4()}", "body": {"data": {
                "meeting_id": meeting, "column": ("worries", "working", "next_steps")[n % 3],
                "text": f"Note {b * BATCH + n} fra tavlen"}}} for n in range(BATCH)]
            for _attempt in range(KINTO_RETRIES):
                resp = session.post(f"{base}/batch", timeout=120, json={
                    "defaults": {"method": "PUT"}, "requests": todo})
                resp.raise_for_status()
                answers = resp.json()["responses"]
                created += sum(r["status"] == 201 for r in answers)
                # Concurrent writers to one collection get "409 Integrity constraint
                # violated, please retry" now and then: a client retries them, as asked.
                todo = [req for req, r in zip(todo, answers, strict=True)
                        if r["status"] in (409, 503)]
                if not todo:
                    break
        return created

    return _threads(work)


def _kinto_session() -> requests.Session:
    session = requests.Session()
    session.auth = kinto.credentials()
    return session


def catch_up_trivsel(base: str, email: str, password: str) -> tuple[float, int]:
    """(records per second, records) for a fresh device: median of CATCH_UPS devices."""
    rates, count = [], 0
    for _ in range(CATCH_UPS):
        session = signed_in(base, email, password)
        cursor, more, count = "", True, 0
        started = time.perf_counter()
        while more:
            page = session.get(f"{base}/api/sync/pull", params={"cursor": cursor, "limit": PAGE},
                               timeout=120)
            page.raise_for_status()
            body = page.json()
            count += len(body["changes"])
            cursor, more = body["cursor"], body["more"]
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates), count


def catch_up_kinto(base: str) -> tuple[float, int]:
    """The same for Kinto: every record of the collection, PAGE at a time."""
    rates, count = [], 0
    url = f"{base}/buckets/{kinto.BUCKET}/collections/{kinto.COLLECTION}/records?_limit={PAGE}"
    for _ in range(CATCH_UPS):
        session = _kinto_session()
        next_page: str | None = url
        count = 0
        started = time.perf_counter()
        while next_page:
            resp = session.get(next_page, timeout=120)
            resp.raise_for_status()
            count += len(resp.json()["data"])
            next_page = resp.headers.get("Next-Page")
        rates.append(count / (time.perf_counter() - started))
    return statistics.median(rates), count


def run(make_url_for: Callable[[str], str], tmp: Path) -> dict[str, Any]:
    """Both servers on the benchmark's PostgreSQL; figures of Trivsel, and of Kinto when
    ``KINTO_URL`` asks for it (see bench/kinto.py)."""
    from bench.sync_bench import PASSWORD, serving

    email = "familie@example.org"
    figures: dict[str, Any] = {}
    with serving(make_url_for("side_by_side"), tmp / "side-by-side", workers=WORKERS) as (
            base, ids), _maybe_kinto(make_url_for, tmp) as kinto_base:
        figures["push_records_per_s"] = push_trivsel(base, email, PASSWORD, ids["meeting"])
        if kinto_base:
            figures["kinto_push_records_per_s"] = push_kinto(kinto_base, ids["meeting"])
        figures["catch_up_records_per_s"], figures["catch_up_records"] = catch_up_trivsel(
            base, email, PASSWORD)
        if kinto_base:
            figures["kinto_catch_up_records_per_s"], figures["kinto_catch_up_records"] = (
                catch_up_kinto(kinto_base))
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
    print(f"\n  side by side: {THREADS} threads x batches of {BATCH} new notes, pages of {PAGE}, "
          f"gunicorn {WORKERS} workers each, one PostgreSQL")
    has_kinto = "kinto_push_records_per_s" in figures
    for label, ours, theirs, aim in (
        ("push", "push_records_per_s", "kinto_push_records_per_s",
         ">= 10 x Kinto and >= 2,000/s"),
        ("pull catch-up, fresh device", "catch_up_records_per_s",
         "kinto_catch_up_records_per_s", ">= Kinto"),
    ):
        line = f"  {label:<30} Trivsel {figures[ours]:>9,.0f} records/s"
        if has_kinto:
            ratio = figures[ours] / figures[theirs]
            line += f"   Kinto {figures[theirs]:>9,.0f} records/s   {ratio:5.1f} x"
        else:
            line += "   (Kinto: set KINTO_URL=start)"
        print(f"{line}   aim {aim}")
