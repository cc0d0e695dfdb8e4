"""A small version of a municipality's day, for injecting faults into (issue 26).

The app runs under the Procfile's gunicorn (gunicorn.conf.py, ``WORKERS`` workers) on
PostgreSQL. ``Load`` drives it from threads: ``TABLETS`` tablets, each signed in for real,
create a board note and push it, then pull, every ``TABLET_PERIOD`` s; ``PHONES`` parents'
phones, each with its own invitation redeemed (each ``Load`` invites its phones anew), read
the published report and the access log. Every answer is recorded (status 0: none came — a
refused or cut connection, a timeout), and every mutation the server acknowledged.
``Outcome`` holds what the suite asserts:

- no 500 reached a client (``server_errors``: any 5xx but a 503 with Retry-After);
- every acknowledged write is on the server afterwards, once (``missing_or_doubled``);
- each client had a successful answer within ``RECOVERY_SECONDS`` of any failed one, and its
  last answer was a success (``slowest_recovery``).

A tablet behaves as the PWA's sync engine does: what got no answer, a 5xx, or a
``rejected``/``server_error`` result stays in its outbox and goes again (pushes are idempotent
by mutation id), after the 503's Retry-After when one came.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask
from sqlalchemy import select

from server.extensions import db
from tests.harness import (
    SYNC,
    ApiClient,
    Gunicorn,
    demo_ids,
    migrated_app,
    migrated_database_url,
    settings,
    sign_in,
)

PASSWORD = "faults-demo-password"
# The issue's load was 4 workers, 50 tablets and 500 phones on a machine of its own; this
# machine has 2 cores shared with other runs: 4 workers, 6 tablets and 20 phones.
WORKERS = 4
TABLETS = 6
PHONES = 20
TABLET_PERIOD = 0.5  # seconds between a tablet's rounds (push, then pull)
PHONE_PERIOD = 1.0  # seconds between a phone's reads
# A client has a successful answer within this long of a failed one (a restart of the
# database takes about a second here, a worker gunicorn replaces about two; the rest is the
# client's own wait and a loaded machine's slowness).
RECOVERY_SECONDS = 15.0
TIMEOUT = 30  # seconds a client waits for an answer
PUSH_BATCH = 100  # mutations in one push at most, as the PWA sends (pwa/src/sync/protocol.ts)
STAFF = ("familie@example.org", "paedagog@example.org")


@dataclass(frozen=True)
class Answer:
    """One request and what came of it."""

    client: str
    what: str  # "push", "pull", "report", "access", "sign-in"
    status: int  # 0: no answer
    started: float  # time.monotonic()
    ended: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


@dataclass
class World:
    """What the load needs of the database: the demo meeting, its report published, and the
    child (whose guardians the phones are); ``app`` works on the same database."""

    app: Flask
    meeting_id: str
    child_id: str


@dataclass
class Served:
    """The app under gunicorn, with its settings and the world in its database."""

    env: dict[str, str]
    server: Gunicorn
    world: World

    @property
    def base(self) -> str:
        return self.server.base


def prepare_world(app: Flask) -> World:
    """Finish and publish the demo meeting's report, as the staff would."""
    from server.models import Course, Meeting

    staff = ApiClient(app.test_client())
    staff.login(STAFF[0], PASSWORD)
    with app.app_context():
        ids = demo_ids()
        meeting = db.session.get(Meeting, ids["meeting"])
        assert meeting is not None
        starts = meeting.starts_at
        course = db.session.get(Course, meeting.course_id)
        assert course is not None
        child_id = course.child_id
        db.session.remove()
    meeting_id = ids["meeting"]
    agreed = staff.post(
        "/api/agreements",
        {"meeting_id": meeting_id, "what": "Leg hver dag", "owner": "institution"},
    )
    assert agreed.status_code == 201, agreed.get_json()
    finished = staff.patch(
        f"/api/meetings/{meeting_id}",
        {
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": (starts + timedelta(days=28)).astimezone(UTC).isoformat(),
        },
    )
    assert finished.status_code == 200, finished.get_json()
    published = staff.post("/api/reports", {"meeting_id": meeting_id})
    assert published.status_code == 201, published.get_json()
    with app.app_context():
        db.engine.dispose()  # no connection held while gunicorn runs (or PostgreSQL restarts)
    return World(app, meeting_id, child_id)


def invite(world: World, phones: int) -> list[str]:
    """A fresh invitation link (its path) per phone, alternating between the child's
    guardians, as the staff would send them."""
    from server.models import Guardian
    from server.parents import guardian_access

    with world.app.app_context():
        guardians = list(
            db.session.scalars(select(Guardian).where(Guardian.child_id == world.child_id))
        )
        assert guardians, "the demo child has guardians"
        about = world.meeting_id
        links = [
            urlsplit(guardian_access.issue(guardians[i % len(guardians)], None, about)).path
            for i in range(phones)
        ]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return links


@contextmanager
def served(folder: Path, workers: int = WORKERS, **overrides: str) -> Iterator[Served]:
    """The demo data on a database of its own, its report published, served by gunicorn;
    ``overrides`` are settings (an object store's, a Redis URL…)."""
    env = settings(
        folder,
        migrated_database_url(folder, "faults"),
        # Every tablet and phone signs in from 127.0.0.1 within a second or two.
        LOGIN_RATE_LIMIT="1000 per minute",
        **overrides,
    )
    app = migrated_app(env, demo_password=PASSWORD)
    world = prepare_world(app)
    server = Gunicorn(env, workers=workers)
    server.start()
    try:
        yield Served(env, server, world)
    finally:
        server.stop()


class Recorder:
    """Every answer of every client, and the acknowledged mutations; shared by the threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.answers: list[Answer] = []
        self.acknowledged: dict[str, str] = {}  # mutation id → the note's record id
        self.notes: dict[str, str] = {}  # record id → its text

    def call(
        self, client: str, what: str, session: requests.Session, method: str, url: str, **kw: Any
    ) -> requests.Response | None:
        """Make the request and record its answer; None when none came."""
        started = time.monotonic()
        try:
            resp: requests.Response | None = session.request(method, url, timeout=TIMEOUT, **kw)
        except requests.RequestException:
            resp = None
        self.record(client, what, resp.status_code if resp is not None else 0, started)
        return resp

    def record(self, client: str, what: str, status: int, started: float) -> None:
        """An answer (status 0: none) to a request begun at ``started``."""
        with self._lock:
            self.answers.append(Answer(client, what, status, started, time.monotonic()))

    def acknowledge(self, mutation: dict[str, Any]) -> None:
        with self._lock:
            self.acknowledged[mutation["id"]] = mutation["record_id"]
            self.notes[mutation["record_id"]] = mutation["fields"]["text"]


@dataclass
class Tablet:
    """A tablet as the PWA's sync engine drives it (see the module's docstring)."""

    name: str
    base: str
    email: str
    meeting_id: str
    recorder: Recorder
    client_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    outbox: list[dict[str, Any]] = field(default_factory=list)
    cursor: str = ""
    session: requests.Session = field(default_factory=requests.Session)
    wait_until: float = 0.0  # a 503's Retry-After
    counter: int = 0

    def sign_in(self) -> None:
        """The real sign-in (password, CSRF token), tried until it works."""
        for _ in range(20):
            try:
                sign_in(self.base, self.email, PASSWORD, self.session)
                self.session.headers.update(SYNC)
                return
            except (requests.RequestException, AssertionError, ValueError):
                time.sleep(0.5)
        raise RuntimeError(f"{self.name} could not sign in")

    def write(self) -> dict[str, Any]:
        """A new note on the meeting's board, queued."""
        self.counter += 1
        mutation = {
            "id": str(uuid.uuid4()),
            "entity": "board_note",
            "record_id": str(uuid.uuid4()),
            "op": "upsert",
            "fields": {
                "meeting_id": self.meeting_id,
                "column": "worries",
                "text": f"{self.name} note {self.counter}",
            },
            "base_version": None,
            "clock": f"{time.time_ns() // 1_000_000:013d}:{self.counter:05d}:{self.client_id[:8]}",
        }
        self.outbox.append(mutation)
        return mutation

    def push(self) -> bool:
        """Send the outbox; what the server acknowledged leaves it. True on an answer."""
        if not self.outbox or time.monotonic() < self.wait_until:
            return False
        resp = self.recorder.call(
            self.name,
            "push",
            self.session,
            "POST",
            f"{self.base}/api/sync/push",
            json={"client_id": self.client_id, "mutations": self.outbox[:PUSH_BATCH]},
        )
        if resp is None or resp.status_code != 200:
            self._back_off(resp)
            return False
        kept = []
        sent, rest = self.outbox[:PUSH_BATCH], self.outbox[PUSH_BATCH:]
        for mutation, result in zip(sent, resp.json()["results"], strict=True):
            if result["status"] in ("applied", "merged", "duplicate"):
                self.recorder.acknowledge(mutation)
            else:
                assert result["error"]["code"] == "server_error", result
                kept.append(mutation)  # the server failed on it: sent again
        self.outbox = kept + rest
        return True

    def pull(self) -> None:
        """Pull until caught up (a few pages at most here)."""
        for _ in range(20):
            if time.monotonic() < self.wait_until:
                return
            resp = self.recorder.call(
                self.name,
                "pull",
                self.session,
                "POST",
                f"{self.base}/api/sync/pull",
                json={"cursor": self.cursor, "limit": 500},
            )
            if resp is None or resp.status_code != 200:
                self._back_off(resp)
                return
            page = resp.json()
            self.cursor = page["cursor"]
            if not page["more"]:
                return

    def _back_off(self, resp: requests.Response | None) -> None:
        retry_after = resp.headers.get("Retry-After") if resp is not None else None
        self.wait_until = time.monotonic() + (float(retry_after) if retry_after else 0.5)

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.write()
            self.push()
            self.pull()
            stop.wait(TABLET_PERIOD * random.uniform(0.8, 1.2))  # spread the clients out

    def flush(self, seconds: float) -> None:
        """After the load: send what is left, as the tablet would on its next rounds."""
        deadline = time.monotonic() + seconds
        while self.outbox and time.monotonic() < deadline:
            if not self.push():
                time.sleep(0.2)
        assert not self.outbox, f"{self.name} could not send {len(self.outbox)} mutations"


@dataclass
class Phone:
    """A parent's phone: its invitation redeemed, then the report and the access log read."""

    name: str
    base: str
    link: str
    meeting_id: str
    recorder: Recorder
    session: requests.Session = field(default_factory=requests.Session)

    def sign_in(self) -> None:
        """Open the invitation and press its button, as the parent does."""
        page = self.session.get(f"{self.base}{self.link}", timeout=TIMEOUT)
        assert page.status_code == 200, (page.status_code, page.text[:300])
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        redeemed = self.session.post(
            f"{self.base}{self.link}",
            data={"csrf_token": token},
            allow_redirects=False,
            headers={"Sec-Fetch-Site": "same-origin", "Origin": "null"},
            timeout=TIMEOUT,
        )
        assert redeemed.status_code == 303, (redeemed.status_code, redeemed.text[:300])

    def run(self, stop: threading.Event) -> None:
        reads = (("report", f"/p/reports/{self.meeting_id}.json"), ("access", "/p/access"))
        while not stop.is_set():
            for what, path in reads:
                self.recorder.call(self.name, what, self.session, "GET", f"{self.base}{path}")
            stop.wait(PHONE_PERIOD * random.uniform(0.8, 1.2))  # spread the clients out


@dataclass
class Outcome:
    """What the load saw; the suite's assertions read it."""

    answers: list[Answer]
    acknowledged: dict[str, str]
    notes: dict[str, str]
    fault_at: float | None = None  # when the fault was injected (time.monotonic())

    def server_errors(self) -> list[Answer]:
        """Answers with a 5xx other than 503 (a 503 says: try again; the tablet does)."""
        return [a for a in self.answers if a.status >= 500 and a.status != 503]

    def of(self, what: str) -> list[Answer]:
        return [a for a in self.answers if a.what == what]

    def slowest_recovery(self) -> float:
        """The longest a client waited from a failed answer (none, or a 5xx) to its next
        successful one; infinity when a client's last answer failed."""
        slowest = 0.0
        by_client: dict[str, list[Answer]] = {}
        for answer in sorted(self.answers, key=lambda a: a.started):
            by_client.setdefault(answer.client, []).append(answer)
        for answers in by_client.values():
            failed_at: float | None = None
            for answer in answers:
                if answer.ok and failed_at is not None:
                    slowest = max(slowest, answer.ended - failed_at)
                    failed_at = None
                elif not answer.ok:
                    failed_at = answer.started if failed_at is None else failed_at
            if failed_at is not None:
                return float("inf")
        return slowest

    def missing_or_doubled(self, app: Flask) -> dict[str, str]:
        """Acknowledged notes the server lacks or holds with another text, or applied more
        than once (version above 1: each note was written by one mutation)."""
        from server.models import BoardNote

        wrong: dict[str, str] = {}
        with app.app_context():
            rows = {
                note.id: note
                for note in db.session.scalars(
                    select(BoardNote).where(BoardNote.id.in_(list(self.notes)))
                )
            }
            for record_id, text in self.notes.items():
                row = rows.get(record_id)
                if row is None:
                    wrong[record_id] = "missing"
                elif row.text != text:
                    wrong[record_id] = f"text {row.text!r}"
                elif row.version != 1:
                    wrong[record_id] = f"version {row.version}"
            db.session.remove()
            db.engine.dispose()
        return wrong

    def summary(self) -> str:
        """One line per kind of request: how many, by status (for assertion messages)."""
        lines = []
        for what in sorted({a.what for a in self.answers}):
            statuses: dict[int, int] = {}
            for answer in self.of(what):
                statuses[answer.status] = statuses.get(answer.status, 0) + 1
            lines.append(f"{what}: {dict(sorted(statuses.items()))}")
        return "; ".join(lines)


class Load:
    """Tablets and phones on threads against ``served``; ``with Load(...) as load:`` starts
    them signed in, and leaving the block stops them, flushes the tablets' outboxes and
    leaves the ``Outcome`` in ``load.outcome``."""

    def __init__(
        self, served: Served, tablets: int = TABLETS, phones: int = PHONES, flush: float = 30.0
    ) -> None:
        world = served.world
        self.recorder = Recorder()
        self.tablets = [
            Tablet(f"tablet-{i}", served.base, STAFF[i % 2], world.meeting_id, self.recorder)
            for i in range(tablets)
        ]
        self.phones = [
            Phone(f"phone-{i}", served.base, link, world.meeting_id, self.recorder)
            for i, link in enumerate(invite(world, phones))
        ]
        self.flush_seconds = flush
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.fault_at: float | None = None
        self.outcome: Outcome | None = None

    def __enter__(self) -> Load:
        clients: list[Tablet | Phone] = [*self.tablets, *self.phones]
        for client in clients:
            client.sign_in()  # before the load and outside it: a sign-in is no fault's
        for client in clients:
            thread = threading.Thread(target=client.run, args=(self.stop,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def fault(self) -> None:
        """Note that the fault is injected now (for the messages)."""
        self.fault_at = time.monotonic()

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT + 5)
        if exc[0] is None:
            for tablet in self.tablets:
                tablet.flush(self.flush_seconds)
        self.outcome = Outcome(
            list(self.recorder.answers),
            dict(self.recorder.acknowledged),
            dict(self.recorder.notes),
            self.fault_at,
        )

    def run_for(self, seconds: float) -> None:
        """Let the load run (the test's thread waits)."""
        time.sleep(seconds)


def assert_unharmed(outcome: Outcome, app: Flask, recovery: float = RECOVERY_SECONDS) -> None:
    """The issue's three promises: no 500 reached a client; every acknowledged write is on
    the server, once; every client recovered within ``recovery`` seconds."""
    assert not outcome.server_errors(), (outcome.server_errors()[:5], outcome.summary())
    assert outcome.acknowledged, outcome.summary()
    assert not outcome.missing_or_doubled(app), outcome.missing_or_doubled(app)
    assert outcome.slowest_recovery() <= recovery, (outcome.slowest_recovery(), outcome.summary())
