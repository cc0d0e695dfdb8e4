"""Metrics under real gunicorn with two workers (prometheus_client's multiprocess mode):
whichever worker answers a scrape reports everyone's requests; a worker that dies leaves its
counts but not its in-progress requests; a restart starts from zero; the directory gunicorn
makes for itself is gone when it stops. Its log is one JSON object per line."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.harness import Gunicorn, migrated_database_url, settings, wait_until

pytestmark = pytest.mark.slow

TOKEN = "gunicorn-metrics-token-0123"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return settings(
        tmp_path,
        migrated_database_url(tmp_path, "opsmetrics"),
        METRICS_TOKEN=TOKEN,
        LOG_FORMAT="json",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
    )


def counted(base: str, sent: float, seconds: float = 5) -> float:
    """The /healthz count once it has reached ``sent`` (or what it is after ``seconds``): a
    request is counted when gunicorn closes its response, after the client has the answer, so
    a scrape right after the last answer can come before its count (1 in a full CI run)."""
    deadline = time.monotonic() + seconds
    while (count := healthz_count(base)) < sent and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


def healthz_count(base: str) -> float:
    """trivsel_http_requests_total for GET /healthz 200, from one scrape."""
    resp = requests.get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert resp.status_code == 200, resp.text
    return sum(
        s.value
        for family in text_string_to_metric_families(resp.text)
        for s in family.samples
        if s.name == "trivsel_http_requests_total" and s.labels["route"] == "/healthz"
    )


def in_progress(base: str) -> float:
    """The fewest requests in progress over a few spaced scrapes: a worker lowers the gauge
    for a scrape only after the answer is sent, so the next scrape may still see it."""
    seen = []
    for _ in range(4):
        resp = requests.get(
            f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
        )
        seen.append(
            next(
                s.value
                for family in text_string_to_metric_families(resp.text)
                for s in family.samples
                if s.name == "trivsel_http_requests_in_progress"
            )
        )
        time.sleep(0.2)
    return min(seen)


def hit(base: str, times: int) -> None:
    """``times`` requests on new connections from 8 threads."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(
                lambda _: requests.get(f"{base}/healthz", timeout=10).status_code, range(times)
            )
        )
    assert statuses == [200] * times


def hit_both_workers(base: str, directory: Path) -> int:
    """Requests until both workers have served some; how many were sent."""
    sent = 0
    while len(worker_pids(directory)) < 2 and sent < 500:
        hit(base, 25)
        sent += 25
    assert len(worker_pids(directory)) == 2
    return sent


def worker_pids(directory: Path) -> set[int]:
    """The workers that have written samples (prometheus_client names files by pid)."""
    return {int(path.stem.rsplit("_", 1)[1]) for path in directory.glob("counter_*.db")}


def test_every_scrape_adds_up_all_workers_and_a_killed_worker_keeps_its_counts(
    env: dict[str, str], tmp_path: Path
) -> None:
    directory = Path(env["PROMETHEUS_MULTIPROC_DIR"])
    server = Gunicorn(env, workers=2)
    base = server.start()
    try:
        sent = hit_both_workers(base, directory)
        assert counted(base, sent) == sent
        assert [healthz_count(base) for _ in range(10)] == [sent] * 10

        # A request stuck in a worker (the CSRF check waits for a form body that never
        # comes), then both workers die.
        stuck = socket.create_connection(("127.0.0.1", server.port))
        stuck.sendall(
            b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
            b"application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\na="
        )
        wait_until(lambda: in_progress(base) >= 2, 10, "the stuck request is counted")
        assert in_progress(base) == 2  # it and the scrape
        old = worker_pids(directory)
        for pid in old:
            os.kill(pid, signal.SIGKILL)  # as the kernel's OOM killer would
        stuck.close()

        def replaced() -> bool:
            with contextlib.suppress(requests.RequestException):  # workers still booting
                requests.get(f"{base}/readyz", timeout=5)
            return not worker_pids(directory) <= old

        wait_until(replaced, 30, "gunicorn starts new workers", interval=0.2)
        hit(base, 10)
        assert counted(base, sent + 10) == sent + 10  # the dead workers' counts are kept
        assert in_progress(base) == 1  # only the scrape itself: the stuck one is dropped
    finally:
        server.stop()
    log = (tmp_path / f"gunicorn-{server.port}.log").read_text().splitlines()
    parsed = [json.loads(line) for line in log if line.strip()]
    assert any(line["logger"] == "gunicorn.error" for line in parsed)
    assert sum(line.get("route") == "/readyz" for line in parsed) == 0  # probes stay quiet
    assert all("request_id" in line for line in parsed if line["logger"] == "trivsel.access")


def test_a_restarted_gunicorn_starts_counting_from_zero(env: dict[str, str]) -> None:
    first = Gunicorn(env, workers=2)
    base = first.start()
    try:
        hit(base, 7)
        assert counted(base, 7) == 7.0
    finally:
        first.stop()
    second = Gunicorn(env, workers=2)
    base = second.start()
    try:
        hit(base, 2)
        assert counted(base, 2) == 2.0
    finally:
        second.stop()


def test_without_a_directory_gunicorn_makes_its_own_and_removes_it(
    env: dict[str, str], tmp_path: Path
) -> None:
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    env = {**env, "TMPDIR": str(own_tmp)}
    env.pop("PROMETHEUS_MULTIPROC_DIR")
    server = Gunicorn(env, workers=2)
    base = server.start()
    try:
        hit(base, 20)
        made = list(own_tmp.glob("trivsel-metrics-*"))
        assert len(made) == 1 and list(made[0].glob("*.db"))
        assert counted(base, 20) == 20.0
    finally:
        server.stop()
    assert not made[0].exists()
