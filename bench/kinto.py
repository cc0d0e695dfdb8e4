"""Kinto beside Trivsel: the reference sync server of issue 14, on the same PostgreSQL.

``KINTO_URL`` chooses:

- unset: no Kinto figures;
- ``start``: the benchmark installs Kinto from PyPI into its own virtual environment (not the
  project's: Kinto is no dependency of Trivsel), creates a database for it on the benchmark's
  PostgreSQL server (storage, permissions and cache all in PostgreSQL, as Kinto's production
  set-up has them) and serves it with gunicorn on 127.0.0.1 with as many workers as Trivsel
  gets, then stops it;
- any other value: the address of a Kinto server started by you (``KINTO_AUTH`` gives its
  account as ``user:password``; the benchmark creates it when the server allows).

Both servers are signed into the way their clients are: Trivsel with a session cookie (one
sign-in), Kinto with an account of its accounts plugin (Basic auth; Kinto checks the password
once and keeps the check in its cache).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.harness import free_port, stop, wait_for

KINTO_VERSION = "kinto[postgresql]>=26.5,<27"
# The environment is kept between runs (installing takes a minute); delete it to refresh.
VENV = Path(os.environ.get("KINTO_VENV", Path.home() / ".cache" / "trivsel-bench" / "kinto"))
DEFAULT_AUTH = "bench:bench-password-kinto"
BUCKET = "trivsel"
COLLECTION = "notes"


def wanted() -> str | None:
    """``start``, an address, or None (no Kinto figures in this run)."""
    return os.environ.get("KINTO_URL") or None


def credentials() -> tuple[str, str]:
    user, _, password = os.environ.get("KINTO_AUTH", DEFAULT_AUTH).partition(":")
    return user, password


@contextmanager
def kinto_server(pg_url: str, workers: int, folder: Path) -> Iterator[str]:
    """Yields Kinto's base URL (``…/v1``), ready with the benchmark's account and collection."""
    given = wanted()
    if given and given != "start":
        base = given.rstrip("/")
        _prepare(base)
        yield base
        return
    bin_dir = _installed()
    ini = _config(pg_url, folder)
    subprocess.run(
        [str(bin_dir / "kinto"), "migrate", "--ini", str(ini)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wsgi = folder / "kinto_app.py"
    wsgi.write_text(
        textwrap.dedent(f"""\
        from pyramid.paster import get_app
        application = get_app({str(ini)!r}, "main")
    """)
    )
    # Its own settings, not Trivsel's gunicorn.conf.py (which gunicorn would find by itself).
    (folder / "gunicorn.conf.py").write_text("control_socket_disable = True\n")
    port = free_port()
    log = open(folder / "kinto.log", "ab")  # noqa: SIM115 - the child keeps its own copy
    proc = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "--config",
            str(folder / "gunicorn.conf.py"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "kinto_app:application",
        ],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PROMETHEUS", "PYTHON", "VIRTUAL_ENV"))
        },
    )
    log.close()
    base = f"http://127.0.0.1:{port}/v1"
    try:
        wait_for(f"{base}/", 120, proc)
        _prepare(base)
        yield base
    finally:
        stop(proc)


def _installed() -> Path:
    """Kinto and gunicorn in their own virtual environment (made once)."""
    bin_dir = VENV / "bin"
    if not (bin_dir / "kinto").exists() or not (bin_dir / "gunicorn").exists():
        print(f"  installing Kinto into {VENV} (once) ...", flush=True)
        VENV.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(bin_dir / "pip"), "install", "-q", KINTO_VERSION, "gunicorn"], check=True
        )
    return bin_dir


def _config(pg_url: str, folder: Path) -> Path:
    """Kinto's own ``kinto init --backend=postgresql`` settings, pointed at ``pg_url``."""
    folder.mkdir(parents=True, exist_ok=True)
    url = pg_url.replace("postgresql+psycopg://", "postgresql://")
    ini = folder / "kinto.ini"
    ini.write_text(
        textwrap.dedent(f"""\
        [app:main]
        use = egg:kinto
        kinto.includes = kinto.plugins.accounts
        kinto.storage_backend = kinto.core.storage.postgresql
        kinto.storage_url = {url}
        kinto.cache_backend = kinto.core.cache.postgresql
        kinto.cache_url = {url}
        kinto.permission_backend = kinto.core.permission.postgresql
        kinto.permission_url = {url}
        kinto.userid_hmac_secret = {os.urandom(16).hex()}
        multiauth.policies = account
        multiauth.policy.account.use = kinto.plugins.accounts.AccountsPolicy
        kinto.account_create_principals = system.Everyone
        kinto.bucket_create_principals = system.Authenticated

        [loggers]
        keys = root

        [handlers]
        keys = console

        [formatters]
        keys = generic

        [logger_root]
        level = WARNING
        handlers = console

        [handler_console]
        class = StreamHandler
        args = (sys.stderr,)
        level = WARNING
        formatter = generic

        [formatter_generic]
        format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
    """)
    )
    return ini


def _prepare(base: str) -> None:
    """The benchmark's account, bucket and collection (each made once; repeats are fine)."""
    user, password = credentials()
    requests.put(
        f"{base}/accounts/{user}", json={"data": {"password": password}}, timeout=30
    )  # 201, or 401/403 when it exists already: both are fine
    session = requests.Session()
    session.auth = (user, password)
    session.put(f"{base}/buckets/{BUCKET}", json={}, timeout=30).raise_for_status()
    collection = f"{base}/buckets/{BUCKET}/collections/{COLLECTION}"
    session.put(collection, json={}, timeout=30).raise_for_status()


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="trivsel-bench-kinto-")
