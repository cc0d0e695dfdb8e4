"""Kill the gunicorn worker that is answering a push (issue 26, point 4).

The push goes over a connection opened first (http.client), so its local port is known; the
worker holding the other end of it (psutil reads each worker's sockets) is sent SIGKILL while
the answer has not come. Whatever the worker had not committed is lost with it, and the
tablet, having no answer, sends the same mutations again: they are applied then, or answered
``duplicate`` if the worker had committed them.
"""

from __future__ import annotations

import http.client
import json
import signal
import threading
import time
from dataclasses import dataclass

import psutil

from tests.faults.load import TIMEOUT, Served, Tablet

BATCH = 200  # notes in the push: long enough to be caught in the middle


@dataclass
class Kill:
    """What came of one attempt: the worker killed (None: none found in time) and the push's
    status (0: no answer, which is what a kill in the middle gives)."""

    pid: int | None
    status: int


def workers(served: Served) -> list[psutil.Process]:
    """The gunicorn master's worker processes."""
    assert served.server.proc is not None
    return psutil.Process(served.server.proc.pid).children()


def worker_holding(served: Served, client_port: int) -> psutil.Process | None:
    """The worker with the server end of the connection from ``client_port``, if any yet (a
    sync worker takes a connection only when it is free)."""
    for worker in workers(served):
        try:
            connections = worker.net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        for conn in connections:
            if (
                conn.laddr.port == served.server.port
                and conn.raddr
                and (conn.raddr.port == client_port)
            ):
                return worker
    return None


def kill_during_push(served: Served, tablet: Tablet, tries: int = 5) -> Kill:
    """``push_and_kill`` until a kill lands before the answer (on a fast machine a push may
    be answered before its worker is found); the pushes answered stay queued on the tablet
    and are sent again, answered ``duplicate``."""
    for _ in range(tries):
        kill = push_and_kill(served, tablet)
        if kill.pid is not None and kill.status == 0:
            break
    return kill


def push_and_kill(served: Served, tablet: Tablet) -> Kill:
    """Queue ``BATCH`` notes on ``tablet``, push them and SIGKILL the worker answering; the
    mutations stay in the tablet's outbox (as with any push without an answer)."""
    batch = [tablet.write() for _ in range(BATCH)]
    conn = http.client.HTTPConnection("127.0.0.1", served.server.port, timeout=TIMEOUT)
    conn.connect()
    assert conn.sock is not None
    client_port = conn.sock.getsockname()[1]
    body = json.dumps({"client_id": tablet.client_id, "mutations": batch})
    headers = {
        "Content-Type": "application/json",
        "Cookie": "; ".join(f"{c.name}={c.value}" for c in tablet.session.cookies),
        **{k: str(v) for k, v in tablet.session.headers.items() if k.startswith(("X-", "Sync"))},
    }
    status = [0]
    started = time.monotonic()

    def send() -> None:
        try:
            conn.request("POST", "/api/sync/push", body, headers)
            status[0] = conn.getresponse().status
        except (OSError, http.client.HTTPException):
            status[0] = 0  # the worker died: no answer
        finally:
            conn.close()

    sender = threading.Thread(target=send)
    sender.start()
    victim = None
    deadline = time.monotonic() + 10
    while victim is None and sender.is_alive() and time.monotonic() < deadline:
        victim = worker_holding(served, client_port)
        if victim is None:
            time.sleep(0.005)
    if victim is not None and sender.is_alive():
        victim.send_signal(signal.SIGKILL)
    sender.join(TIMEOUT + 5)
    tablet.recorder.record(tablet.name, "push", status[0], started)
    return Kill(victim.pid if victim is not None else None, status[0])
