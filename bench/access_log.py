"""The parents' access log against a year of tablet syncs (issue 26 point 2): the audit rows
a year of pulls leaves, and the time the access log page takes, as the months pile up.

Two tablets (the leader's and the educator's) sync the demo course on every working day of a
year, ``PULLS_PER_DAY`` pulls that bring changes each, and their users open the course a few
times a day. The same year is written twice, on two databases, through the server's own
audit functions at the simulated time: the way pulls were audited before (an entry per pull
and child: ``audit.record_many``, as ``server/sync/routes.py`` called it) and the way they are
now (one per device, child and day: ``audit.record_fetches``). After months 1, 3, 6 and 12
the same phone opens /p/access ``VIEWS`` times as on that day (``?before=``: the page shows
the newest ``ACCESS_LOG_DAYS`` days), with Flask's test client in process, and once more on
the rows written per pull with no window of days (the newest 2,000 entries, as the page read
them before). Figures only.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bench.report import Row, print_rows
from bench.served import prepared
from server import audit, create_app
from server.extensions import db
from server.models import AuditEntry, Guardian, User
from server.parents import guardian_access
from server.parents import routes as parent_routes

PULLS_PER_DAY = 30  # pulls that bring changes, per tablet and working day
OPENS_PER_DAY = 2  # a person opening the course, per user and working day
VIEWS = 20  # page views measured at each checkpoint
CHECKPOINTS = (1, 3, 6, 12)  # months
START = date(2025, 12, 1)  # a Monday; the year ends before today


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="trivsel-access-bench-") as tmp:
        before = _year(Path(tmp) / "before", _per_pull)
        now = _year(Path(tmp) / "now", _per_device_and_day)
    print("\n== parents' access log after a year of tablet syncs (SQLite, in process) ==")
    print(f"  {PULLS_PER_DAY} pulls with changes per tablet and working day, 2 tablets")
    for month in CHECKPOINTS:
        print(f"  -- after {month} month(s)")
        figures = {
            "rows_before": before[month][0],
            "rows_now": now[month][0],
            "ms_old_page": before[month][2],
            "ms_before": before[month][1],
            "ms_now": now[month][1],
        }
        print_rows(figures, ROWS)


ROWS: list[Row] = [
    ("audit rows, an entry per pull (before)", "rows_before", "rows", ""),
    ("audit rows, per device and day (now)", "rows_now", "rows", ""),
    ("/p/access, rows per pull, no window (old)", "ms_old_page", "ms", ""),
    ("/p/access, rows per pull, 31 days", "ms_before", "ms", ""),
    ("/p/access, per device and day, 31 days", "ms_now", "ms", "flat"),
]

Writer = Callable[[str, int], None]


def _per_pull(child_id: str, records: int) -> None:
    """How a pull was audited before: an entry per pull and child."""
    audit.record_many([("sync", "pull", None, child_id, f"{records} records")])


def _per_device_and_day(child_id: str, records: int) -> None:
    audit.record_fetches({child_id: records})


def _year(folder: Path, write: Writer) -> dict[int, tuple[int, float, float]]:
    """{month: (audit rows, median page ms, the same without the page's window of days)}
    for a year written with ``write``. Without the window the page reads the newest 2,000
    entries whatever their age, as it did before."""
    env, ids = prepared(f"sqlite:///{folder / 'access.sqlite3'}", folder)
    app = create_app(dict(env))
    phone = _phone(app, ids["child"])
    with app.app_context():
        tablets = [
            (user, SimpleNamespace(id=f"bench-session-{user.id}"))
            for user in db.session.scalars(
                select(User).where(User.email.in_(("familie@example.org", "paedagog@example.org")))
            )
        ]
    out: dict[int, tuple[int, float, float]] = {}
    day = START
    while len(out) < len(CHECKPOINTS):
        if day.weekday() < 5:
            _working_day(app, day, tablets, ids["child"], write)
        day += timedelta(days=1)
        months = (day.year - START.year) * 12 + day.month - START.month
        if day.day == START.day and months in CHECKPOINTS:
            with mock.patch.object(parent_routes, "ACCESS_LOG_DAYS", 100 * 365):
                unbounded = _page_ms(phone, day)
            out[months] = (_rows(app), _page_ms(phone, day), unbounded)
    return out


def _working_day(
    app: Flask, day: date, tablets: list[tuple[User, Any]], child_id: str, write: Writer
) -> None:
    """Every tablet's pulls of the day (8.00 to 15.00 UTC), and a few openings by its user."""
    step = timedelta(hours=7) / PULLS_PER_DAY
    morning = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    with app.test_request_context():
        for user, session in tablets:
            g.user, g.auth_session = user, session
            for n in range(PULLS_PER_DAY):
                with mock.patch.object(audit, "utcnow", return_value=morning + n * step):
                    write(child_id, 12)
                    if n % (PULLS_PER_DAY // OPENS_PER_DAY) == 0:
                        audit.record_many([("read", "course", None, child_id, "")])
            db.session.commit()  # once a day: the writes are set up here, not measured


def _rows(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _page_ms(phone: FlaskClient, day: date) -> float:
    """The median time of the page as the phone sees it on ``day`` (its newest days)."""
    times = []
    for _ in range(VIEWS):
        started = time.perf_counter()
        resp = phone.get(f"/p/access?before={day.isoformat()}")
        times.append((time.perf_counter() - started) * 1000)
        assert resp.status_code == 200, resp.status_code
    return statistics.median(times)


def _phone(app: Flask, child_id: str) -> FlaskClient:
    """A phone that has opened the mother's invitation."""
    with app.app_context():
        guardian = db.session.scalars(
            select(Guardian).where(Guardian.child_id == child_id, Guardian.has_custody)
        ).first()
        assert guardian is not None
        link = guardian_access.issue(guardian, None)
        db.session.commit()
    path = "/p/" + link.split("/p/", 1)[1]
    phone = app.test_client()
    page = phone.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "the invitation page has no form token"
    assert phone.post(path, data={"csrf_token": token.group(1)}).status_code == 303
    return phone


if __name__ == "__main__":
    main()
