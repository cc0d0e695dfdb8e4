"""Retention, on the filesystem and on S3: closed courses past the period are deleted with
every stored file only they used (photos, thumbnails, display copies, documents, filed
reports), and nothing else; photos uploaded but never used go after ORPHAN_DAYS."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select, update

from server.courses.pdf_check import sanitize_pdf
from server.courses.retention import ORPHAN_DAYS
from server.extensions import db
from server.models import (
    AuditEntry,
    BlobUpload,
    BoardNote,
    Child,
    Course,
    Filing,
    Guardian,
    Meeting,
    Task,
)
from server.models._common import utcnow
from tests.documents import plain_pdf
from tests.server.courses import closed_course
from tests.server.reporting import upload
from tests.server.stores import app_config, stored_keys
from tests.server.syncclient import Device
from tests.server.world import created
from tests.sync.images import photo, sha

__all__ = ["app_config"]  # both stores for every test here


def count(model: Any, course_id: str) -> int:
    return int(
        db.session.scalar(
            select(func.count()).select_from(model).where(model.course_id == course_id)
        )
        or 0
    )


def test_retention_deletes_exactly_the_expired_courses_and_their_unshared_files(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    leader = demo["users"]["familie"]
    shared, only_old, only_recent = (photo(seed=s, with_gps=False) for s in (10, 60, 110))
    old, _ = closed_course(
        as_user("paedagog"), familie, leader, demo["children"]["Noah"], [shared, only_old]
    )
    recent, _ = closed_course(
        as_user("paedagog2"), familie, leader, demo["children"]["Freja"], [shared, only_recent]
    )
    document = plain_pdf("Noahs TOPI")
    created(
        familie.post(
            f"/api/courses/{old}/attachments",
            data={"file": (io.BytesIO(document), "topi.pdf"), "title": "TOPI"},
            content_type="multipart/form-data",
        )
    )
    with app.app_context():
        filed = {f.course_id: f.id for f in db.session.scalars(select(Filing))}
    before = stored_keys(app)
    stored_document = sha(sanitize_pdf(document))  # qpdf's rewrite is stored, not the upload
    mine = [k for k in before if sha(only_old) in k or stored_document in k or filed[old] in k]
    # The photo, its thumbnail, display and print copies (the PDF made the last), the
    # document, the zip.
    assert len(mine) == 6
    tablet = Device(familie)
    tablet.pull()
    assert any(r["scope"] == f"course:{old}" for r in tablet.records.values())
    with app.app_context():
        db.session.execute(
            update(Course)
            .where(Course.id == old)
            .values(closed_at=utcnow() - timedelta(days=6 * 365))
        )
        db.session.commit()
    dry = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert f"would delete course {old}" in dry.output and recent not in dry.output
    assert stored_keys(app) == before  # a dry run deletes nothing
    with app.app_context():
        assert count(Meeting, old) == 2
    result = app.test_cli_runner().invoke(args=["retention"])
    assert (
        "Deleted 1 course(s), 1 photo(s), 1 document file(s) and 1 filed report(s)."
        in result.output
    ), result.output
    # The whole store, listed: nothing of the deleted course is left, all else is.
    after = stored_keys(app)
    assert after == sorted(set(before) - set(mine))
    assert any(sha(shared) in k for k in after) and any(sha(only_recent) in k for k in after)
    assert any(filed[recent] in k for k in after)
    with app.app_context():
        assert db.session.get(Course, old) is None
        for model in (Meeting, BoardNote, Task):
            assert count(model, old) == 0, model
            assert count(model, recent) > 0, model
        assert db.session.get(BlobUpload, (sha(only_old), leader)) is None
        assert db.session.get(BlobUpload, (sha(shared), leader)) is not None
        assert db.session.get(Course, demo["course"]) is not None  # Emma's active course
        assert db.session.get(Child, demo["children"]["Noah"]) is not None  # the child stays
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Guardian)
                .where(Guardian.child_id == demo["children"]["Noah"])
            )
            == 2
        )
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.record_id == old, AuditEntry.action == "delete")
        )
        assert entry is not None and entry.detail.startswith("retention")
    # The tablet drops the deleted course at its next pull.
    tablet.pull()
    assert not any(r["scope"] == f"course:{old}" for r in tablet.records.values())
    assert any(r["scope"] == f"course:{recent}" for r in tablet.records.values())


def test_photos_uploaded_but_never_used_are_deleted_after_a_while(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """A photo discarded at the table after its upload (or whose record was refused) is
    a child's board nobody can read: it does not stay for ever."""
    familie = as_user("familie")
    stale, fresh, used = (photo(seed=s, with_gps=False) for s in (20, 70, 120))
    for image in (stale, fresh, used):
        upload(familie, image)
    created(
        familie.post(
            "/api/photos",
            {"meeting_id": demo["meeting"], "content_hash": sha(used), "size": len(used)},
        )
    )
    with app.app_context():
        db.session.execute(
            update(BlobUpload)
            .where(BlobUpload.content_hash.in_([sha(stale), sha(used)]))
            .values(created_at=utcnow() - timedelta(days=ORPHAN_DAYS + 1))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention"])
    assert "Deleted 1 photo(s) uploaded but never used." in result.output, result.output
    keys = stored_keys(app)
    assert not any(sha(stale) in k for k in keys)
    assert sum(sha(fresh) in k for k in keys) == 3 and sum(sha(used) in k for k in keys) == 3
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BlobUpload)) == 2
