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

The served app and its data are made in world.py, the assertions are in outcome.py; the
fault tests import all of it from here. A new fault test: ``with Load(app_served) as load:``,
``load.run_for(…)``, inject the fault after ``load.fault()``, then ``assert_unharmed``.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

from tests.faults.outcome import RECOVERY_SECONDS, Answer, Outcome, assert_unharmed
from tests.faults.world import PASSWORD, STAFF, WORKERS, Served, World, invite, served
from tests.harness import SYNC, sign_in

# The names the fault tests use, from one module.
__all__ = [
    "RECOVERY_SECONDS",
    "STAFF",
    "WORKERS",
    "Load",
    "Outcome",
    "Phone",
    "Served",
    "Tablet",
    "World",
    "assert_unharmed",
    "served",
]

TABLETS = 6
PHONES = 20
TABLET_PERIOD = 0.5  # seconds between a tablet's rounds (push, then pull)
PHONE_PERIOD = 1.0  # seconds between a phone's reads
TIMEOUT = 30  # seconds a client waits for an answer
PUSH_BATCH = 100  # mutations in one push at most, as the PWA sends (pwa/src/sync/protocol.ts)


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
