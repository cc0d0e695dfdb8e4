"""Issue 14's side-by-side workload with several copies of Trivsel's code in one run.

``python -m bench.wire_variants <tree> [<tree> ...]``, from the repository: each ``tree`` is a
copy of the code (``git worktree``, or ``git archive <rev> | tar -x -C <tree>``, patched to
leave a path out), served by its own gunicorn on its own database of one PostgreSQL server
(``BENCH_POSTGRES_URL``, else a temporary one), beside Kinto when ``KINTO_URL`` asks for it.
All take turns in ABBA order (``side_by_side.measure``), so the machine's drifting load falls
on each alike: what one path buys is the ratio between two trees of one run
(docs/architecture.md, "Wire paths"). Migrations and demo data come from this checkout: the
trees are meant to differ in code, not in schema.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench import kinto, side_by_side
from bench.postgres import temporary_postgres
from bench.served import PASSWORD, pg_database, prepared
from tests.harness import free_port, stop, wait_for


def _served(env: dict[str, str], tree: Path, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn in ``tree``: it puts its working directory first on the import path."""
    port = free_port()
    with open(folder / "gunicorn.log", "ab") as log:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                str(tree / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(side_by_side.WORKERS),
                "server:create_app()",
            ],
            cwd=tree,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/auth/me", 60, proc)
    except Exception:
        stop(proc)
        raise
    return proc, base


def run(pg: str, trees: list[Path]) -> dict[str, dict[str, float]]:
    """Figures per tree (named by its folder) and for Kinto when wanted."""
    with tempfile.TemporaryDirectory(prefix="trivsel-variants-") as tmp, ExitStack() as stack:
        servers: list[side_by_side.Server] = []
        meeting = ""
        for tree in trees:
            folder = Path(tmp) / tree.name
            env, ids = prepared(pg_database(pg, tree.name), folder)
            proc, base = _served(env, tree, folder)
            stack.callback(stop, proc)
            server = side_by_side.Trivsel(base, PASSWORD, ids["meeting"])
            server.name = tree.name
            servers.append(server)
            meeting = ids["meeting"]
        if kinto.wanted():
            base = stack.enter_context(
                kinto.kinto_server(
                    pg_database(pg, "kinto"), side_by_side.WORKERS, Path(tmp) / "kinto"
                )
            )
            servers.append(side_by_side.Kinto(base, meeting))
        return side_by_side.measure(servers)


def _print(results: dict[str, dict[str, Any]]) -> None:
    kinto_figures = results.get("Kinto")
    print(f"\n  load average now {os.getloadavg()[0]:.1f}")
    for name, r in results.items():
        line = (
            f"  {name:<14} push {r['push']:>8,.0f}/s   catch-up {r['catch_up']:>9,.0f}/s "
            f"({r['catch_up_records']:,} records, {r['catch_up_wire_bytes']:,} bytes)"
        )
        if kinto_figures:
            line += (
                f"   {r['push'] / kinto_figures['push']:5.2f} x / "
                f"{r['catch_up'] / kinto_figures['catch_up']:5.2f} x Kinto"
            )
        print(line)


def main(trees: list[str]) -> None:
    with temporary_postgres() as pg:
        if pg is None:
            print("PostgreSQL: not installed here (or not root); set BENCH_POSTGRES_URL.")
            return
        _print(run(pg, [Path(tree).resolve() for tree in trees]))


if __name__ == "__main__":
    main(sys.argv[1:])
