"""Real servers for tests: gunicorn and redis-server on free loopback ports, as process
groups stopped afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    """A loopback port nobody listens on (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(url: str, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll until the URL answers at all (any status), or fail with the process's output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            requests.get(url, timeout=10)
            return
        except requests.RequestException:  # not listening yet, or workers still booting
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process and everything it started (make → gunicorn → workers)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Gunicorn:
    """gunicorn serving create_app() on a loopback port, as a process group we can stop."""

    def __init__(self, env: dict[str, str], workers: int = 2, port: int | None = None) -> None:
        self.env = env
        self.workers = workers
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        """gunicorn's output (tracebacks of unexpected errors land here)."""
        return Path(self.env["BLOB_DIR"]).parent / f"gunicorn-{self.port}.log"

    def start(self) -> str:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "server:create_app()",
            ],
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()  # the child has its own copy
        wait_for(f"{self.base}/api/auth/me", 60, self.proc)
        return self.base

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)

    def kill(self) -> None:
        """SIGKILL the whole group, as a power cut would: no request gets an answer."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2, port: int | None = None) -> Iterator[str]:
    """Serve create_app() with gunicorn; yields the base URL."""
    server = Gunicorn(env, workers, port)
    try:
        yield server.start()
    finally:
        server.stop()


@contextmanager
def redis_server(folder: Path, port: int | None = None) -> Iterator[str]:
    """A throwaway redis-server on a loopback port (Debian's package; .ci/run installs it);
    yields its URL. The caller skips when ``shutil.which("redis-server")`` finds none. A
    ``port`` given starts it there: a fault test stops Redis and starts it again at the
    address the app was told."""
    import redis

    binary = shutil.which("redis-server")
    assert binary is not None, "redis-server is not installed (apt-get install redis-server)"
    port = port or free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(proc)
