"""`python -m bench`: the sync benchmark (SQLite, and PostgreSQL when available), then the
tablet app's benchmark in Chromium. `python -m bench sync` or `python -m bench pwa` runs one."""

import sys

from bench import pwa_bench, sync_bench

if __name__ == "__main__":
    which = sys.argv[1:] or ["sync", "pwa"]
    if "sync" in which:
        sync_bench.main()
    if "pwa" in which:
        pwa_bench.main()
