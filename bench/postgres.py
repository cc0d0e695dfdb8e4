"""A throw-away PostgreSQL cluster for the benchmark (Debian's binaries, run as postgres)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from tests.harness import free_port


@contextmanager
def temporary_postgres() -> Iterator[str | None]:
    """Yields a URL, or None when PostgreSQL is not installed (or we are not root)."""
    given = os.environ.get("BENCH_POSTGRES_URL")
    if given:
        yield given
        return
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins or os.geteuid() != 0:
        yield None
        return
    bin_dir = os.path.dirname(bins[-1])
    root = tempfile.mkdtemp(prefix="trivsel-bench-pg-")
    shutil.chown(root, "postgres")
    port = free_port()
    data = os.path.join(root, "data")

    def as_pg(*args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], check=True, stdout=subprocess.DEVNULL
        )

    as_pg(f"{bin_dir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
    as_pg(
        f"{bin_dir}/pg_ctl",
        "-D",
        data,
        "-w",
        "-l",
        os.path.join(root, "log"),
        "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=100",
        "start",
    )
    try:
        as_pg(f"{bin_dir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "bench")
        yield f"postgresql://postgres@127.0.0.1:{port}/bench"
    finally:
        as_pg(f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
