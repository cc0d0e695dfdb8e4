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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from aiosmtpd.controller import Controller
from flask import Flask
from flask_migrate import upgrade

from server import create_app
from server.demo import load_demo
from server.extensions import db
from tests.dbutil import fresh_database_url
from tests.e2e.servers import ROOT, VENV_BIN, Gunicorn, free_port
from tests.mail import Inbox
from tests.s3server import s3_app_config
from tests.server.syncclient import SYNC

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


class Answer:
    """A requests answer with the test client's ``get_json`` (so the suite's helpers and
    its sync client work over HTTP unchanged)."""

    def __init__(self, resp: requests.Response) -> None:
        self.resp = resp
        self.status_code = resp.status_code
        self.data = resp.content
        self.headers = resp.headers

    def get_json(self) -> Any:
        return self.resp.json()


@dataclass
class Http:
    """One client (a tablet, a phone) talking to one instance; ``via`` moves it to the
    other, cookies and all, as a load balancer without sticky sessions would."""

    base: str
    session: requests.Session = field(default_factory=requests.Session)

    def via(self, base: str) -> Http:
        return Http(base, self.session)

    def get(self, url: str, **kw: Any) -> Answer:
        return self._call("get", url, None, **kw)

    def post(self, url: str, body: Any = None, **kw: Any) -> Answer:
        return self._call("post", url, body, **kw)

    def patch(self, url: str, body: Any = None, **kw: Any) -> Answer:
        return self._call("patch", url, body, **kw)

    def put(self, url: str, body: Any = None, **kw: Any) -> Answer:
        return self._call("put", url, body, **kw)

    def _call(self, method: str, url: str, body: Any, **kw: Any) -> Answer:
        if body is not None:
            kw["json"] = body
        kw.setdefault("timeout", 60)
        return Answer(self.session.request(method, f"{self.base}{url}", **kw))


def client_at(base: str, address: str) -> Http:
    """A client behind the load balancer, which names it in X-Forwarded-For."""
    http = Http(base)
    http.session.headers.update({"X-Forwarded-For": address, **SYNC})
    return http


def sign_in(http: Http, email: str) -> Http:
    """Sign in as the tablet app does; every later write carries the CSRF token."""
    token = http.get("/api/auth/csrf").get_json()["csrf_token"]
    resp = http.post("/api/auth/login", {"email": email, "password": PASSWORD},
                     headers={"X-CSRF-Token": token})
    assert resp.status_code == 200, (email, resp.status_code, resp.resp.text[:300])
    http.session.headers["X-CSRF-Token"] = resp.get_json()["csrf_token"]
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
        proc = subprocess.Popen([str(VENV_BIN / "flask"), "--app", "server", *args], cwd=ROOT,
                                env={**os.environ, **self.env}, stdout=log,
                                stderr=subprocess.STDOUT)
        log.close()
        return proc

    def log(self, name: str) -> Path:
        return Path(self.env["BLOB_DIR"]).parent / f"{name}.log"


def settings(tmp: Path, s3_endpoint: str, smtp_port: int) -> dict[str, str]:
    """The environment file every instance and command shares."""
    store = s3_app_config(s3_endpoint)
    return {
        "TRIVSEL_ENV": "testing", "SECRET_KEY": "two-instances-secret",
        "DATABASE_URL": fresh_database_url(tmp, "twoinstances"),
        "BLOB_STORE_URL": store["BLOB_STORE_URL"], **store["BLOB_STORE_S3"],
        "BLOB_DIR": str(tmp / "unused-blobs"),  # the S3 store is used; gunicorn logs beside
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port), "SMTP_STARTTLS": "0",
        "MAIL_FROM": "trivsel@kommune.example", "PUBLIC_URL": "http://127.0.0.1:9",
        "TRUSTED_PROXY_HOPS": "1", "LOGIN_RATE_LIMIT": f"{SIGN_IN_LIMIT} per minute",
        "JOBS_OUTBOX_SECONDS": "1", "JOBS_RETENTION_HOURS": "0", "LOG_FORMAT": "json",
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
        app = create_app(dict(env))
        with app.app_context():
            upgrade()
            load_demo(PASSWORD)
            db.session.remove()
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
