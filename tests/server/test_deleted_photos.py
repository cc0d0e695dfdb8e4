"""A board photo deleted at the table and brought back with "Fortryd" (issue 12), as the
tablet sends it: a delete, then a restore with no fields. While deleted its bytes are served
to nobody; restored, they are served again; the stored file is kept meanwhile (the deleted
record names it, so the orphan sweep leaves it), and the record's other fields come back as
they were. A photo record without its bytes is refused, deleted afterwards or not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import update

from server.courses.retention import ORPHAN_DAYS, delete_orphan_uploads
from server.extensions import db
from server.models import BlobUpload
from server.models._common import utcnow
from tests.server.reporting import upload
from tests.server.stores import app_config, stored_keys
from tests.server.syncclient import Device
from tests.server.world import new_uuid
from tests.sync.images import photo, sha

__all__ = ["app_config"]  # both stores for every test here


def test_a_deleted_photo_is_served_to_nobody_until_it_is_restored(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie, paedagog = as_user("familie"), as_user("paedagog")
    image = photo(size=(1200, 900), seed=77, with_gps=False)
    upload(familie, image)
    tablet = Device(familie)
    photo_id = new_uuid()
    tablet.upsert(
        "board_photo",
        photo_id,
        meeting_id=demo["meeting"],
        content_hash=sha(image),
        size=len(image),
        content_type="image/jpeg",
        caption="Tavlen",
    )
    assert [r["status"] for r in tablet.push()] == ["applied"]
    url = f"/api/blobs/{sha(image)}?size=thumb"
    assert familie.get(url).status_code == 200 and paedagog.get(url).status_code == 200
    tablet.pull()
    tablet.delete("board_photo", photo_id)
    assert [r["status"] for r in tablet.push()] == ["applied"]
    assert familie.get(url).status_code == 404 and paedagog.get(url).status_code == 404
    # Kept in the store meanwhile: the deleted record still names the file, so "Fortryd"
    # can bring it back, and the sweep of photos nobody ever named leaves it.
    with app.app_context():
        db.session.execute(
            update(BlobUpload).values(created_at=utcnow() - timedelta(days=ORPHAN_DAYS + 1))
        )
        db.session.commit()
        assert delete_orphan_uploads(utcnow()) == []
    assert sum(sha(image) in key for key in stored_keys(app)) == 3
    tablet.pull()
    tablet.restore("board_photo", photo_id)
    assert [r["status"] for r in tablet.push()] == ["applied"]
    assert familie.get(url).status_code == 200 and paedagog.get(url).status_code == 200
    restored = Device(paedagog).pull_record("board_photo", photo_id)
    assert not restored["deleted"] and restored["fields"]["caption"] == "Tavlen"
    assert restored["fields"]["uploaded"] is True


def test_a_photo_record_without_its_bytes_is_refused_and_leaves_nothing_deleted_or_not(
    as_user: Any, demo: dict[str, Any]
) -> None:
    """The tablet never sends a photo deleted before its upload (pwa/src/sync/store.ts takes
    its queued record back); a client that does gets the create refused as not uploaded,
    and neither it nor its deletion leaves a record or a claim on the bytes behind."""
    familie = as_user("familie")
    image = photo(size=(800, 600), seed=78, with_gps=False)  # never uploaded
    tablet = Device(familie)
    photo_id = new_uuid()
    tablet.upsert(
        "board_photo",
        photo_id,
        meeting_id=demo["meeting"],
        content_hash=sha(image),
        size=len(image),
        content_type="image/jpeg",
        caption="",
    )
    tablet.delete("board_photo", photo_id)
    results = tablet.push()
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert results[0]["error"]["code"] == "photo_not_uploaded"
    assert familie.get(f"/api/meetings/{demo['meeting']}/photos").get_json() == []
    assert familie.post("/api/blobs/missing", {"hashes": [sha(image)]}).get_json() == {
        "missing": [sha(image)]
    }
    fresh = Device(familie)
    fresh.pull()
    assert ("board_photo", photo_id) not in fresh.records
