"""Retention: closed courses past the period are deleted with their photos; nothing else."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select, update

from server.blob_store import blob_store
from server.courses import attachments
from server.extensions import db
from server.models import AuditEntry, BoardNote, Child, Course, Guardian, Meeting, Task
from server.models._common import utcnow
from tests.server.client import ApiClient
from tests.server.reporting import upload
from tests.server.syncclient import Device
from tests.server.test_rules import T0, finish, iso, meeting
from tests.server.world import created
from tests.sync.images import photo, sha


def closed_course(opener: ApiClient, familie: ApiClient, leader: str, child: str,
                  images: list[bytes]) -> str:
    course = created(opener.post("/api/courses", {
        "child_id": child, "leader_id": leader, "concern_level": "moderate",
        "start_date": T0.date().isoformat()}))["id"]
    start = created(meeting(familie, course, "start", T0))["id"]
    created(familie.post("/api/notes", {"meeting_id": start, "column": "worries",
                                        "text": "en note"}))
    for image in images:
        created(familie.post("/api/photos", {"meeting_id": start, "content_hash": sha(image),
                                             "size": len(image)}))
        upload(familie, image)
    assert finish(familie, start, next_meeting_at=iso(T0 + timedelta(days=30))).status_code == 200
    closing = created(meeting(familie, course, "closing", T0 + timedelta(days=30)))["id"]
    assert finish(familie, closing).status_code == 200
    return str(course)


def count(model: Any, course_id: str) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)
                                 .where(model.course_id == course_id)) or 0)


def test_retention_deletes_exactly_the_expired_courses_and_their_unshared_photos(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    leader = demo["users"]["familie"]
    shared, only_old, only_recent = (photo(seed=s, with_gps=False) for s in (10, 60, 110))
    old = closed_course(as_user("paedagog"), familie, leader, demo["children"]["Noah"],
                        [shared, only_old])
    recent = closed_course(as_user("paedagog2"), familie, leader, demo["children"]["Freja"],
                           [shared, only_recent])
    document = familie.post(f"/api/courses/{old}/attachments", data={
        "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "topi.pdf"), "title": "TOPI"},
        content_type="multipart/form-data")
    assert document.status_code == 201
    tablet = Device(familie)
    tablet.pull()
    assert any(r["scope"] == f"course:{old}" for r in tablet.records.values())
    with app.app_context():
        db.session.execute(update(Course).where(Course.id == old)
                           .values(closed_at=utcnow() - timedelta(days=6 * 365)))
        db.session.commit()
    dry = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert f"would delete course {old}" in dry.output and recent not in dry.output
    with app.app_context():
        assert count(Meeting, old) == 2  # a dry run deletes nothing
    result = app.test_cli_runner().invoke(args=["retention"])
    assert "Deleted 1 course(s), 1 photo(s) and 1 document file(s)." in result.output, \
        result.output
    with app.app_context():
        assert db.session.get(Course, old) is None
        for model in (Meeting, BoardNote, Task):
            assert count(model, old) == 0, model
            assert count(model, recent) > 0, model
        assert db.session.get(Course, demo["course"]) is not None  # Emma's active course
        assert db.session.get(Child, demo["children"]["Noah"]) is not None  # the child stays
        assert db.session.scalar(select(func.count()).select_from(Guardian)
                                 .where(Guardian.child_id == demo["children"]["Noah"])) == 2
        assert not attachments.path_of(sha(b"%PDF-1.4\n%%EOF\n")).exists()
        store = blob_store()
        assert not store.has(sha(only_old)) and not store.path(sha(only_old), "thumb").exists()
        assert store.has(sha(shared)) and store.has(sha(only_recent))
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.record_id == old, AuditEntry.action == "delete"))
        assert entry is not None and entry.detail.startswith("retention")
    # The tablet drops the deleted course at its next pull.
    tablet.pull()
    assert not any(r["scope"] == f"course:{old}" for r in tablet.records.values())
    assert any(r["scope"] == f"course:{recent}" for r in tablet.records.values())
