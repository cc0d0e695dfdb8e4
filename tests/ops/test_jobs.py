"""The periodic jobs: the `flask jobs` worker as a real process, its loop, and retention run
twice at the same moment (two instances' workers, or a worker and an operator)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from server import create_app
from server.courses import retention
from server.extensions import db
from server.identity.cpr_crypto import new_key_entry
from server.models import AuditEntry, Course, OutboundMessage
from server.models._common import utcnow
from server.ops.jobs import run_retention
from server.ops.scheduler import Job, Scheduler
from tests.harness import ROOT, VENV_BIN, Inbox, migrated_database_url, wait_until
from tests.server.courses import closed_course
from tests.sync.images import photo


def queue_messages(app: Flask, *addresses: str) -> None:
    with app.app_context():
        for address in addresses:
            db.session.add(
                OutboundMessage(
                    to_address=address, subject="Ny rapport", body="Se rapporten", status="pending"
                )
            )
        db.session.commit()


@pytest.mark.slow
def test_the_worker_sends_the_outbox_every_few_seconds_and_stops_cleanly_on_sigterm(
    tmp_path: Path, inbox: Inbox, smtp_port: int
) -> None:
    env = {
        "TRIVSEL_ENV": "production",
        "SECRET_KEY": "jobs-secret",
        "CPR_KEY": new_key_entry("k1"),
        "DATABASE_URL": migrated_database_url(tmp_path, "opsjobs"),
        "BLOB_DIR": str(tmp_path / "blobs"),
        "ATTACHMENT_DIR": str(tmp_path / "attachments"),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_STARTTLS": "0",
        "JOBS_OUTBOX_SECONDS": "1",
        "LOG_FORMAT": "json",
    }
    app = create_app(dict(env))
    queue_messages(app, "mor@example.net", "far@example.net")
    err = tmp_path / "jobs.err"
    with open(err, "wb") as stderr:
        proc = subprocess.Popen(
            [str(VENV_BIN / "flask"), "--app", "server", "jobs"],
            cwd=ROOT,
            env={**os.environ, **env},
            stderr=stderr,
        )
    try:
        wait_until(lambda: len(inbox.received) == 2, 30, "two messages sent")
        queue_messages(app, "bedste@example.net")  # a later round picks this one up
        wait_until(lambda: len(inbox.received) == 3, 30, "the third message sent")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert sorted(m["To"] for m in inbox.received) == [
        "bedste@example.net",
        "far@example.net",
        "mor@example.net",
    ]  # each exactly once
    lines = [json.loads(line) for line in err.read_text().splitlines() if line.strip()]
    messages = [line["message"] for line in lines]
    # The app's own start lines (which way parents sign in) may come first.
    started = messages.index("jobs worker started")
    assert "job done" not in messages[:started] and messages[-1] == "jobs worker stopped"
    done = [line for line in lines if line["message"] == "job done"]
    assert sum(line["sent"] for line in done if line["job"] == "outbox") == 3
    assert [line["courses"] for line in done if line["job"] == "retention"] == [0]
    with app.app_context():
        assert {m.status for m in db.session.scalars(select(OutboundMessage))} == {"sent"}
        db.engine.dispose()


def test_a_failing_job_is_logged_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    runs = {"bad": 0, "good": 0}

    def bad(_stop: threading.Event) -> dict[str, Any]:
        runs["bad"] += 1
        raise ConnectionError("database is down")

    scheduler = Scheduler([])

    def good(_stop: threading.Event) -> dict[str, Any]:
        runs["good"] += 1
        if runs["good"] == 3:
            scheduler.stop.set()
        return {"done": runs["good"]}

    scheduler.jobs = [Job("bad", 0.01, bad), Job("good", 0.01, good)]
    thread = threading.Thread(target=scheduler.run_forever)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert runs["good"] == 3 and runs["bad"] >= 2  # the failure did not stop the loop
    failures = [r for r in caplog.records if r.getMessage() == "job failed"]
    assert failures and failures[0].exc_info and getattr(failures[0], "job", None) == "bad"


def test_two_retention_runs_at_once_delete_each_course_once(
    app: Flask, as_user: Any, demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    familie = as_user("familie")
    course, _ = closed_course(
        as_user("paedagog"),
        familie,
        demo["users"]["familie"],
        demo["children"]["Noah"],
        [photo(seed=150, with_gps=False)],
    )
    with app.app_context():
        db.session.execute(
            update(Course)
            .where(Course.id == course)
            .values(closed_at=utcnow() - timedelta(days=6 * 365))
        )
        db.session.commit()

    # The first run stops between choosing the courses and deleting them.
    chosen, go_on = threading.Event(), threading.Event()
    real_delete = retention.delete_courses

    def paused_delete(courses: list[Course]) -> Any:
        if not chosen.is_set():
            chosen.set()
            assert go_on.wait(timeout=30)
        return real_delete(courses)

    monkeypatch.setattr(retention, "delete_courses", paused_delete)
    results: dict[str, dict[str, Any]] = {}

    def run(name: str) -> None:
        with app.app_context():
            try:
                results[name] = run_retention(days=365)
            finally:
                db.session.remove()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert chosen.wait(timeout=30)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    second.join(timeout=2)  # PostgreSQL: skips at once; SQLite: waits for the write lock
    go_on.set()
    first.join(timeout=30)
    second.join(timeout=60)
    assert results["first"]["course_ids"] == [course]
    assert results["second"].get("courses", 0) == 0  # skipped, or found nothing left
    with app.app_context():
        assert db.session.get(Course, course) is None
        entries = db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "course",
                AuditEntry.record_id == course,
                AuditEntry.action == "delete",
            )
        ).all()
        assert len(entries) == 1  # one deletion, recorded once
