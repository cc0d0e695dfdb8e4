"""`python -m bench`: the sync benchmark (SQLite, and PostgreSQL when available), then the
tablet app's benchmark in Chromium, the board photos' legibility, then the parents' reports.
`python -m bench sync`, `pwa`, `legibility` or `reports` runs one."""

import sys

from bench import legibility, pwa_bench, report_bench, sync_bench

if __name__ == "__main__":
    which = sys.argv[1:] or ["sync", "pwa", "legibility", "reports"]
    if "sync" in which:
        sync_bench.main()
    if "pwa" in which:
        pwa_bench.main()
    if "legibility" in which:
        legibility.main()
    if "reports" in which:
        report_bench.main()
