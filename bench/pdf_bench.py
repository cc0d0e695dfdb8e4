"""`python -m bench pdf`: how long a report PDF and an agenda letter take to make.

The demo's start meeting filled as a meeting leaves it (notes in the three columns, an
agreement, a 2400 x 1800 board photo, a scaling answer), published; then the report PDF (as
staff download it, GET /api/reports/<id>/pdf) and the agenda letter (GET
/api/meetings/<id>/agenda.pdf) are made ``RUNS`` times each in this process (Flask's test
client: no server, no network), after one warm-up that loads the fonts. Prints the median
and the slowest, the median CPU time of this process, and the PDFs' sizes. Figures only;
SQLite in a temporary folder.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import Row, print_rows
from bench.served import PASSWORD, prepared
from server import create_app
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, publish
from tests.server.world import created

RUNS = 10


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trivsel-pdf-bench-") as tmp:
        env, ids = prepared(f"sqlite:///{Path(tmp) / 'pdf.sqlite3'}", Path(tmp))
        app = create_app(dict(env))
        client = ApiClient(app.test_client())
        client.login("familie@example.org", PASSWORD)
        meeting = ids["meeting"]
        person = created(
            client.post(
                "/api/participants",
                {
                    "meeting_id": meeting,
                    "name": "Mette Jensen",
                    "role": "guardian",
                    "present": True,
                },
            )
        )
        created(
            client.post(
                "/api/scaling-answers",
                {
                    "meeting_id": meeting,
                    "participant_id": person["id"],
                    "role": "guardian",
                    "name": "Mette Jensen",
                    "value": 6,
                },
            )
        )
        fill_meeting(client, meeting)
        report = created(publish(client, meeting))
        figures: dict[str, Any] = {}
        for name, url in (
            ("report", f"/api/reports/{report['id']}/pdf"),
            ("agenda", f"/api/meetings/{meeting}/agenda.pdf"),
        ):
            times, cpu, size = _timed(client, url)
            figures[f"{name}_median_ms"] = statistics.median(times) * 1000
            figures[f"{name}_max_ms"] = max(times) * 1000
            figures[f"{name}_cpu_ms"] = statistics.median(cpu) * 1000
            figures[f"{name}_kb"] = size / 1024
    print(f"\n== documents (in process, {RUNS} runs each after a warm-up) ==")
    print_rows(figures, ROWS)


def _timed(client: ApiClient, url: str) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU seconds of each run (CPU time: on a shared machine the wall clock
    also counts other processes' turns), and the PDF's size."""
    first = client.get(url)
    assert first.status_code == 200, first.get_data()[:300]
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        resp = client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert resp.status_code == 200
    return times, cpu, len(first.data)


ROWS: list[Row] = [
    ("report PDF (photo, chart), median", "report_median_ms", "ms", ""),
    ("  slowest", "report_max_ms", "ms", ""),
    ("  CPU time, median", "report_cpu_ms", "ms", ""),
    ("  size", "report_kb", "KB", ""),
    ("agenda letter PDF, median", "agenda_median_ms", "ms", ""),
    ("  slowest", "agenda_max_ms", "ms", ""),
    ("  CPU time, median", "agenda_cpu_ms", "ms", ""),
    ("  size", "agenda_kb", "KB", ""),
]
