"""`python -m bench`: the sync benchmark (SQLite, and PostgreSQL when available), then the
tablet app's benchmark in Chromium, the board photos' legibility, then the parents' reports,
then uploads (memory of a refused huge picture, bytes kept of a photo), then the photos as
filed and printed, then the parents' access log after a year of tablet syncs. `python -m
bench sync`, `side` (issue 14's side-by-side workload against Kinto, on PostgreSQL), `pwa`,
`meeting` (the meeting at the tablet, sealed and in the clear), `legibility`, `reports`,
`uploads`, `filing`, `access` or `pdf` (how long a report PDF and an agenda letter take to
make) or `notes` (a board photo's notes found, placed and read: issue 25) runs one."""

import sys

from bench import (
    access_log,
    board_notes_bench,
    filing_bench,
    legibility,
    meeting_bench,
    pdf_bench,
    pwa_bench,
    report_bench,
    sync_bench,
    upload_bench,
)

if __name__ == "__main__":
    which = sys.argv[1:] or [
        "sync",
        "pwa",
        "meeting",
        "legibility",
        "reports",
        "uploads",
        "filing",
        "access",
        "pdf",
        "notes",
    ]
    if "sync" in which:
        sync_bench.main()  # the side-by-side workload with it, on PostgreSQL
    if "side" in which:
        sync_bench.side_by_side_only()
    if "pwa" in which:
        pwa_bench.main()
    if "meeting" in which:
        meeting_bench.main()
    if "legibility" in which:
        legibility.main()
    if "reports" in which:
        report_bench.main()
    if "uploads" in which:
        upload_bench.main()
    if "filing" in which:
        filing_bench.main()
    if "access" in which:
        access_log.main()
    if "pdf" in which:
        pdf_bench.main()
    if "notes" in which:
        board_notes_bench.main()
