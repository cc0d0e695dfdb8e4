"""The tablet's real store and sync engine against the real server (pwa/src/**/*.server.test.ts).

The Python stand-in client (tests/server/syncclient.py) proves the server's side of the
protocol; this runs the app's own TypeScript — store.ts, engine.ts, the write path — in Node
(fake-indexeddb) against gunicorn on a fresh database (SQLite, or PostgreSQL in CI), with
fast-check choosing the interleavings. The budget is bounded (FUZZ_RUNS runs or FUZZ_SECONDS,
whichever ends first); `make fuzz` runs it longer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import OutboundMessage
from tests.harness import ROOT, gunicorn, migrated_app, migrated_database_url, settings

PASSWORD = "tablet-properties-demo"
PWA = ROOT / "pwa"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("tablet-properties")]


SECRET = re.compile(r"/adgangskode#([A-Za-z0-9_\-]+)")


def _mailbox(app: Flask) -> ThreadingHTTPServer:
    """A stand-in for the staff's mail client: ``GET /?to=address`` answers the newest
    password-link secret e-mailed there (read from the outbox, as ``flask outbox print``
    does), so the TypeScript world can let new colleagues choose their own password."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            to = parse_qs(urlsplit(self.path).query).get("to", [""])[0]
            with app.app_context():
                bodies = db.session.scalars(
                    select(OutboundMessage.body)
                    .where(OutboundMessage.to_address == to)
                    .order_by(OutboundMessage.created_at)
                )
                found = [m.group(1) for b in bodies for m in SECRET.finditer(b)]
                db.session.remove()
            data = json.dumps({"secret": found[-1] if found else None}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: object) -> None:
            pass

    mailbox = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=mailbox.serve_forever, daemon=True).start()
    return mailbox


@pytest.fixture(scope="module")
def mailbox_url(server: tuple[str, Flask]) -> Iterator[str]:
    mailbox = _mailbox(server[1])
    yield f"http://127.0.0.1:{mailbox.server_address[1]}"
    mailbox.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    tmp: Path = tmp_path_factory.mktemp("tablets")
    env = settings(tmp, migrated_database_url(tmp, "tablets"), LOGIN_RATE_LIMIT="10000 per minute")
    app = migrated_app(env, demo_password=PASSWORD)
    with gunicorn(env) as base:
        yield base, app


def vitest(
    base: str, mailbox: str, files: list[str], timeout: int
) -> subprocess.CompletedProcess[str]:
    npx = shutil.which("npx")
    if npx is None or not (PWA / "node_modules").is_dir():
        pytest.fail("The PWA's node modules are not installed: run 'make test' (it installs them).")
    env = {
        **os.environ,
        "TRIVSEL_TEST_SERVER": base,
        "TRIVSEL_DEMO_PASSWORD": PASSWORD,
        "TRIVSEL_TEST_MAILBOX": mailbox,
        "FUZZ_RUNS": os.environ.get("FUZZ_RUNS", "12"),
        "FUZZ_SECONDS": os.environ.get("FUZZ_SECONDS", "75"),
    }
    return subprocess.run(
        [npx, "vitest", "run", "--config", "vitest.server.config.ts", *files],
        cwd=PWA,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_real_tablets_converge_against_the_real_server(
    server: tuple[str, Flask], mailbox_url: str
) -> None:
    budget = int(os.environ.get("FUZZ_SECONDS", "75"))
    done = vitest(server[0], mailbox_url, ["src/sync/tablets.server.test.ts"], timeout=budget + 600)
    print(done.stdout[-4000:])
    assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-5000:]
    assert "tablet properties:" in done.stdout  # the property ran, and said how much it did


def test_the_contract_agrees_with_the_server(server: tuple[str, Flask], mailbox_url: str) -> None:
    done = vitest(server[0], mailbox_url, ["src/contract/contract.server.test.ts"], timeout=600)
    print(done.stdout[-2000:])
    assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-5000:]
