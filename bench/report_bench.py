"""Parents' report benchmark: gunicorn (2 workers) on loopback, SQLite and PostgreSQL, a
published report.

Prints: report views per second for the HTML page and for its JSON, with many concurrent
phones (each view checks the phone's session, reads the page kept since publication with
the comments put in, and writes an audit entry), beside the same server's rate for an empty
answer (/p/online) as the ceiling of this machine — the three take turns in ``ROUNDS``
rounds, each figure the median of its turns, as the shared machine's load drifts. The
phones send back the cookies they were given, as a phone's browser does. And the bytes a
390 px phone in Chromium downloads before the report is readable (page, photo in phone
size, service worker), beside the full-resolution photo's size.
Figures only; bounded in count and time; everything runs on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
from PIL import Image, ImageDraw
from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.postgres import temporary_postgres
from bench.report import Row, print_rows
from bench.served import PASSWORD, pg_database, serving
from bench.threads import run_together
from tests.browser.live import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.sync_load import signed_in

CLIENTS = 16  # concurrent phones
REQUESTS = 4_800  # per measured URL, shared among the clients and the rounds
ROUNDS = 4


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trivsel-report-bench-") as tmp:
        run(f"sqlite:///{Path(tmp) / 'reports.sqlite3'}", Path(tmp) / "sqlite", "SQLite")
        with temporary_postgres() as pg:
            if pg is None:
                print("\nPostgreSQL: not installed here (or not root); set BENCH_POSTGRES_URL.")
            else:
                run(pg_database(pg, "reports"), Path(tmp) / "pg", "PostgreSQL")


def run(url: str, folder: Path, name: str) -> None:
    with serving(url, folder) as (base, ids):
        meeting, image = _published_report(base, ids["meeting"])
        cookie = _phone_cookie(base, url, meeting)
        figures = {
            **_views(base, meeting, cookie),
            **_bytes_before_readable(base, meeting, url),
            "full_photo_kb": len(image) / 1024,
        }
    print(f"\n== parents' reports ({name}, gunicorn 2 workers) ==")
    print_rows(figures, ROWS)


ROWS: list[Row] = [
    ("empty answer (the machine's ceiling)", "ceiling_per_s", "req/s", ""),
    ("report page (HTML) views", "html_per_s", "views/s", ">= 500"),
    ("  p95 latency", "html_p95_ms", "ms", ""),
    ("report JSON views", "json_per_s", "views/s", ">= 500"),
    ("  p95 latency", "json_p95_ms", "ms", ""),
    ("bytes before the report is readable", "readable_kb", "KB", "<= 300"),
    ("  of which the board photo (phone size)", "photo_kb", "KB", ""),
    ("full-resolution photo (only on request)", "full_photo_kb", "KB", ""),
]


def _board_photo() -> bytes:
    """A 4000x3000 camera-like photo of a board with writing (so JPEG has work to do)."""
    img = Image.new("RGB", (4000, 3000), (236, 238, 232))
    draw = ImageDraw.Draw(img)
    for row in range(60):
        for col in range(3):
            x, y = 120 + col * 1300, 100 + row * 47
            draw.text((x, y), f"note {row}-{col}: hvad der bekymrer, fungerer", fill=(20, 40, 90))
            draw.line((x, y + 30, x + 900 - (row * 7) % 300, y + 30), fill=(60, 60, 60), width=3)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def _published_report(base: str, meeting: str) -> tuple[str, bytes]:
    api = signed_in(base, "familie@example.org", PASSWORD)
    for column in ("worries", "working", "next_steps"):
        for i in range(5):
            api.post(
                f"{base}/api/notes",
                json={
                    "meeting_id": meeting,
                    "column": column,
                    "text": f"{column} {i}: en note på tavlen",
                },
                timeout=30,
            ).raise_for_status()
    for i in range(4):
        api.post(
            f"{base}/api/agreements",
            json={"meeting_id": meeting, "owner": "institution", "what": f"Aftale {i}"},
            timeout=30,
        ).raise_for_status()
    image = _board_photo()
    digest = hashlib.sha256(image).hexdigest()
    api.put(
        f"{base}/api/blobs/{digest}", data=image, headers={"Content-Type": "image/jpeg"}, timeout=60
    ).raise_for_status()
    api.post(
        f"{base}/api/photos",
        json={"meeting_id": meeting, "content_hash": digest, "size": len(image)},
        timeout=30,
    ).raise_for_status()
    starts = api.get(f"{base}/api/meetings/{meeting}", timeout=30).json()["starts_at"]
    api.patch(
        f"{base}/api/meetings/{meeting}",
        json={
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": _plus_days(starts, 28),
        },
        timeout=30,
    ).raise_for_status()
    api.post(f"{base}/api/reports", json={"meeting_id": meeting}, timeout=30).raise_for_status()
    return meeting, image


def _plus_days(iso: str, days: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(iso) + timedelta(days=days)).isoformat()


def _link(database_url: str, which: int) -> str:
    """The path of one of the invitations (the mother's and the father's), read from the
    outbox's table: the admin's outbox view shows delivery state only, not the message."""
    engine = create_engine(make_url(database_url).set(drivername=_driver(database_url)))
    with engine.connect() as conn:
        body = (
            conn.execute(text("SELECT body FROM outbound_message ORDER BY created_at"))
            .scalars()
            .all()[which]
        )
    engine.dispose()
    path = next(word for word in str(body).split() if "/p/invitation/" in word)
    return urlsplit(path).path


def _driver(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql+psycopg"


def _phone_cookie(base: str, database_url: str, meeting: str) -> str:
    """The Cookie header of a phone that has opened its invitation and the report once: its
    parents' session, and the form session the report's comment form gave it, sent back on
    every later view as a phone's browser does."""
    phone = requests.Session()
    link = _link(database_url, 0)
    page = phone.get(base + link, timeout=30)
    page.raise_for_status()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the invitation page has no form token"
    phone.post(base + link, data={"csrf_token": token.group(1)}, timeout=30).raise_for_status()
    phone.get(f"{base}/p/reports/{meeting}", timeout=30).raise_for_status()
    return "; ".join(f"{name}={value}" for name, value in phone.cookies.items())


def _rate(base: str, path: str, cookie: str, requests_: int) -> tuple[float, float]:
    """(requests per second, p95 ms) for ``requests_`` GETs from CLIENTS threads."""
    host = urlsplit(base)
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = requests_ // CLIENTS

    def client(_: int) -> None:
        mine = []
        for _ in range(per_client):
            conn = http.client.HTTPConnection(host.hostname or "", host.port, timeout=30)
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - started)
            conn.close()
            if resp.status >= 400 and path != "/p/online":
                raise RuntimeError(f"{path}: {resp.status}")
        with lock:
            latencies.extend(mine)

    elapsed = run_together(client, CLIENTS)
    return len(latencies) / elapsed, statistics.quantiles(latencies, n=20)[18] * 1000


def _views(base: str, meeting: str, cookie: str) -> dict[str, float]:
    """The views and the empty answer, taking turns in ``ROUNDS`` rounds: the machine is
    shared, so its load drifts, and each figure is the median of its own turns."""
    paths = {
        "ceiling": "/p/online",
        "html": f"/p/reports/{meeting}",
        "json": f"/p/reports/{meeting}.json",
    }
    _rate(base, paths["html"], cookie, REQUESTS // ROUNDS)  # warm: imports, connections
    turns: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
    for round_ in range(ROUNDS):
        order = list(paths) if round_ % 2 == 0 else list(reversed(paths))
        for name in order:
            turns[name].append(_rate(base, paths[name], cookie, REQUESTS // ROUNDS))
    figures = {"ceiling_per_s": statistics.median(rate for rate, _ in turns["ceiling"])}
    for name in ("html", "json"):
        figures[f"{name}_per_s"] = statistics.median(rate for rate, _ in turns[name])
        figures[f"{name}_p95_ms"] = statistics.median(p95 for _, p95 in turns[name])
    return figures


def _bytes_before_readable(base: str, meeting: str, database_url: str) -> dict[str, float]:
    """Bytes a fresh phone downloads until the report page has loaded (photo included)."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # No service worker: its fetches are not the page's, and a first visit has none yet.
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
            service_workers="block",
        )
        page = context.new_page()
        page.goto(base + _link(database_url, 1))  # the other one: the load phones used the first
        page.get_by_role("button").click()
        page.wait_for_load_state("load")
        sizes: dict[str, int] = {}
        page.on(
            "requestfinished",
            lambda r: sizes.__setitem__(
                r.url, r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
            ),
        )
        page.goto(f"{base}/p/reports/{meeting}", wait_until="load")
        page.wait_for_timeout(300)
        browser.close()
    photo = sum(v for k, v in sizes.items() if "/photos/" in k)
    return {"readable_kb": sum(sizes.values()) / 1024, "photo_kb": photo / 1024}
