"""Two app instances as a municipality runs them (docs/deploying.md §1): separate gunicorn
processes on their own ports, one PostgreSQL database, one S3 bucket, one SMTP server, and
the load balancer's X-Forwarded-For (``TRUSTED_PROXY_HOPS=1``) naming each client.

The S3 store is moto's S3 server (tests/s3server.py; no real store is reachable here), the
SMTP server aiosmtpd; everything listens on 127.0.0.1 and is stopped by the fixture.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask

from server.extensions import db
from tests import harness
from tests.harness import ROOT, SYNC, VENV_BIN, Gunicorn, HttpClient, Inbox, free_port
from tests.s3server import s3_app_config

PASSWORD = "two-instances-demo-password"
SMTP_DELAY = 0.05  # seconds a message takes to be accepted: senders overlap, as in life
SIGN_IN_LIMIT = 6  # attempts a minute per client address, over both instances


class SlowInbox(Inbox):
    """An SMTP server that takes a moment over each message (without holding up the others),
    so that senders started at once are still sending when the others begin."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(SMTP_DELAY)
        answer: str = await super().handle_DATA(server, session, envelope)
        return answer


def client_at(base: str, address: str) -> HttpClient:
    """A client behind the load balancer, which names it in X-Forwarded-For."""
    http = HttpClient(base)
    http.session.headers.update({"X-Forwarded-For": address, **SYNC})
    return http


def sign_in(http: HttpClient, email: str) -> HttpClient:
    """Sign in as the tablet app does; every later write carries the CSRF token."""
    harness.sign_in(http.base, email, PASSWORD, http.session)
    return http


@dataclass
class Cluster:
    """Both instances, their shared settings, the SMTP inbox and an in-process twin of the
    app on the same database and store (to seed data and to look at it)."""

    env: dict[str, str]
    app: Flask
    inbox: Inbox
    a: str = ""
    b: str = ""

    def flask(self, log_name: str, *args: str) -> subprocess.Popen[bytes]:
        """A ``flask --app server`` command with the instances' settings; its output goes
        to ``log(log_name)``."""
        log = open(self.log(log_name), "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            [str(VENV_BIN / "flask"), "--app", "server", *args],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return proc

    def log(self, name: str) -> Path:
        return Path(self.env["BLOB_DIR"]).parent / f"{name}.log"


def settings(tmp: Path, s3_endpoint: str, smtp_port: int) -> dict[str, str]:
    """The environment file every instance and command shares."""
    store = s3_app_config(s3_endpoint)
    return {
        **harness.settings(tmp, harness.migrated_database_url(tmp, "twoinstances")),
        "SECRET_KEY": "two-instances-secret",
        "BLOB_STORE_URL": store["BLOB_STORE_URL"],
        **store["BLOB_STORE_S3"],
        "BLOB_DIR": str(tmp / "unused-blobs"),  # the S3 store is used; gunicorn logs beside
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_STARTTLS": "0",
        "MAIL_FROM": "trivsel@kommune.example",
        "PUBLIC_URL": "http://127.0.0.1:9",
        "TRUSTED_PROXY_HOPS": "1",
        "LOGIN_RATE_LIMIT": f"{SIGN_IN_LIMIT} per minute",
        "JOBS_OUTBOX_SECONDS": "1",
        "JOBS_RETENTION_HOURS": "0",
        "LOG_FORMAT": "json",
    }


@contextmanager
def two_instances(tmp: Path, s3_endpoint: str) -> Iterator[Cluster]:
    """Started: the SMTP server, the database with the demo data, instance A and B."""
    inbox, smtp_port = SlowInbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    servers: list[Gunicorn] = []
    app: Flask | None = None
    try:
        env = settings(tmp, s3_endpoint, smtp_port)
        app = harness.migrated_app(env, demo_password=PASSWORD)
        cluster = Cluster(env, app, inbox)
        for _ in range(2):
            servers.append(Gunicorn(env, workers=2))
            servers[-1].start()
        cluster.a, cluster.b = servers[0].base, servers[1].base
        yield cluster
    finally:
        for server in servers:
            server.stop()
        if app is not None:
            with app.app_context():
                db.engine.dispose()
        smtp.stop()
