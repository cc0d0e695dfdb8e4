"""gunicorn's part in logging and metrics, called from gunicorn.conf.py in the master.

Metrics with several workers (prometheus_client's multiprocess mode): every worker writes
its samples to files in ``PROMETHEUS_MULTIPROC_DIR``, and a scrape adds up all files.
That needs, in this order:

1. the variable set before any worker imports prometheus_client (``metrics_dir`` runs when
   gunicorn reads its config, before it forks);
2. the directory emptied when gunicorn starts (``on_starting``), or counts of an earlier run
   would be added to this one's;
3. a worker's live gauges dropped when it exits (``child_exit``; its counters stay, as they
   must: a total does not shrink because a worker was replaced);
4. the directory removed on exit when we made it ourselves (``on_exit``).

An operator may set ``PROMETHEUS_MULTIPROC_DIR``; it must then belong to one gunicorn only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

ENV = "PROMETHEUS_MULTIPROC_DIR"
_MADE_BY_US = "TRIVSEL_METRICS_DIR_MADE"


def metrics_dir() -> str:
    """The directory for this gunicorn's metric files, made (and exported) if unset."""
    path = os.environ.get(ENV)
    if not path:
        path = tempfile.mkdtemp(prefix="trivsel-metrics-")
        os.environ[ENV] = path
        os.environ[_MADE_BY_US] = path
    return path


def on_starting(_server: Any) -> None:
    """Empty the metrics directory before the first worker starts."""
    path = Path(metrics_dir())
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink(missing_ok=True)


def child_exit(_server: Any, worker: Any) -> None:
    """A worker ended: drop its live gauges (prometheus_client's bookkeeping)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call] # unannotated upstream


def on_exit(_server: Any) -> None:
    """gunicorn stops: remove the metrics directory if it was ours."""
    path = os.environ.get(_MADE_BY_US)
    if path and path == os.environ.get(ENV):
        shutil.rmtree(path, ignore_errors=True)


def logconfig(access: bool = False) -> dict[str, Any]:
    """gunicorn's logconfig_dict for the configured LOG_FORMAT (empty: gunicorn's own);
    ``access``: keep gunicorn's access line too."""
    from server.config import Config
    from server.ops.logs import gunicorn_logconfig, resolved_format

    settings = Config()
    return gunicorn_logconfig(resolved_format(vars(settings)), settings.LOG_LEVEL, access)
