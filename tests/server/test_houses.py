"""The child's three houses (issue 25 §3): one record per meeting, the words and drawings the
child put in "Huset med bekymringer", "Huset med de gode ting" and "Drømmehuset".

What the child told staff reaches the parents only when shared: not on the parents' page,
not in its JSON, not in the PDF, and a drawing's photo is not served to them. The case file
keeps the houses whether shared or not (server/filing/archive.py).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select, update

from server.extensions import db
from server.models import BlobUpload, BoardPhoto, Course, Houses
from server.models._common import utcnow
from server.photos.store import object_store
from tests.harness import ApiClient
from tests.server.courses import closed_course
from tests.server.reporting import (
    fill_meeting,
    invitation_links,
    pdf_text,
    phone,
    publish,
    upload,
)
from tests.server.stores import stored_keys
from tests.server.syncclient import Device
from tests.server.world import created, new_uuid
from tests.sync.images import photo, sha

WORRY = "Når far råber om aftenen"
GOOD = "Min hund Bobby"
DREAM = "Et hus med en hest i haven"


def drawing(client: ApiClient, meeting_id: str, house: str, seed: int = 7) -> dict[str, Any]:
    """The photo of the child's drawing in one house, bytes first as for the board."""
    image = photo(size=(800, 600), seed=seed)
    upload(client, image)
    return created(
        client.post(
            "/api/photos",
            {
                "meeting_id": meeting_id,
                "content_hash": sha(image),
                "size": len(image),
                "content_type": "image/jpeg",
                "house": house,
            },
        )
    )


def houses(client: ApiClient, meeting_id: str, **fields: Any) -> dict[str, Any]:
    return created(
        client.post(
            "/api/houses",
            {"meeting_id": meeting_id, "worries": WORRY, "good": GOOD, "dream": DREAM, **fields},
        )
    )


def parents_see(app: Flask, child_id: str, meeting_id: str, drawing_id: str) -> dict[str, Any]:
    """What the mother's phone gets: page, JSON, PDF and the drawing's photo."""
    mor = phone(app, invitation_links(app, child_id)["mor"])
    base = f"/p/reports/{meeting_id}"
    page = mor.get(base)
    assert page.status_code == 200
    pdf = mor.get(f"{base}.pdf")
    assert pdf.status_code == 200
    return {
        "page": page.get_data(as_text=True),
        # As the phone reads it (the body escapes "å" and "ø").
        "json": json.dumps(mor.get(f"{base}.json").get_json(), ensure_ascii=False),
        "pdf": pdf_text(pdf.data),
        "drawing": mor.get(f"{base}/photos/{drawing_id}").status_code,
        "view": mor.get(f"{base}/photos/{drawing_id}/view"),
    }


def test_the_houses_reach_the_parents_only_when_shared(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    meeting = demo["meeting"]
    record = houses(familie, meeting)
    assert record["shared_with_parents"] is False  # not shared unless chosen
    drawn = drawing(familie, meeting, "dream")
    fill_meeting(familie, meeting)
    created(publish(familie, meeting))

    unshared = parents_see(app, demo["children"]["Emma"], meeting, drawn["id"])
    for where in ("page", "json", "pdf"):
        for words in (WORRY, GOOD, DREAM, "Drømmehuset", "Barnets tre huse"):
            assert words not in unshared[where], (where, words)
    assert drawn["content_hash"] not in unshared["json"]
    assert json.loads(unshared["json"])["report"]["houses"] is None
    assert unshared["drawing"] == unshared["view"].status_code == 404
    # The drawing is not a photo of the board either.
    board = json.loads(unshared["json"])["report"]["photos"]
    assert drawn["id"] not in {p["id"] for p in board} and len(board) == 1

    resp = familie.patch(f"/api/houses/{record['id']}", {"shared_with_parents": True})
    assert resp.status_code == 200, resp.get_json()
    created(publish(familie, meeting))  # a corrected version, now with the houses

    shared = parents_see(app, demo["children"]["Emma"], meeting, drawn["id"])
    for where in ("page", "pdf"):
        for words in (WORRY, GOOD, "Drømmehuset", "Barnets tre huse"):
            assert words in shared[where], (where, words)
    assert shared["drawing"] == shared["view"].status_code == 200
    assert "<h1>Barnets tegning</h1>" in shared["view"].get_data(as_text=True)
    snap = json.loads(shared["json"])["report"]
    assert (snap["houses"]["worries"]["text"], snap["houses"]["good"]["text"]) == (WORRY, GOOD)
    assert [p["id"] for p in snap["houses"]["dream"]["photos"]] == [drawn["id"]]
    assert snap["houses"]["worries"]["photos"] == []


def test_the_case_file_keeps_the_houses_whether_shared_or_not(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    meeting = demo["meeting"]
    houses(familie, meeting)
    drawn = drawing(familie, meeting, "worries")
    fill_meeting(familie, meeting)
    created(publish(familie, meeting))
    created(familie.post("/api/filings", {"meeting_id": meeting}))
    [key] = [k for k in stored_keys(app) if k.startswith("filing/")]
    with app.app_context(), zipfile.ZipFile(io.BytesIO(object_store().get(key))) as zf:
        metadata = json.loads(zf.read("metadata.json"))
        names = zf.namelist()
        pdf = pdf_text(zf.read("report.pdf"))
    kept = metadata["houses"]
    assert kept["shared_with_parents"] is False
    assert (kept["worries"]["text"], kept["good"]["text"]) == (WORRY, GOOD)
    [filed] = kept["worries"]["photos"]
    assert filed["id"] == drawn["id"] and filed["file"] in names
    assert filed["file"].startswith("houses/")
    assert WORRY not in pdf  # the PDF is the parents' version: not shared, not in it


def test_each_field_is_refused_on_its_own(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    for field, value in (
        ("worries", "x" * 5001),
        ("good", 7),
        ("dream", "y" * 5001),
        ("shared_with_parents", "perhaps"),
    ):
        resp = familie.post("/api/houses", {"meeting_id": demo["meeting"], field: value})
        assert resp.status_code == 422, (field, resp.get_json())
        assert set(resp.get_json()["error"]["fields"]) == {field}
    bad_house = familie.post(
        "/api/photos",
        {"meeting_id": demo["meeting"], "content_hash": "a" * 64, "size": 3, "house": "attic"},
    )
    assert bad_house.status_code == 422
    assert set(bad_house.get_json()["error"]["fields"]) == {"house"}


def test_only_those_who_may_read_the_course_reach_the_houses(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    record = houses(familie, demo["meeting"])
    drawn = drawing(familie, demo["meeting"], "good")
    assert as_user("paedagog").get(f"/api/houses/{record['id']}").status_code == 200
    for outsider in (as_user("paedagog2"), as_user("ppr"), as_user("admin")):
        assert outsider.get(f"/api/houses/{record['id']}").status_code == 404
        assert outsider.get(f"/api/meetings/{demo['meeting']}/houses").status_code in (403, 404)
        assert outsider.patch(f"/api/houses/{record['id']}", {"dream": "x"}).status_code == 404
        assert outsider.delete(f"/api/houses/{record['id']}").status_code == 404
        made = outsider.post("/api/houses", {"meeting_id": demo["meeting"], "dream": "x"})
        assert made.status_code in (403, 404)
        assert outsider.get(f"/api/blobs/{drawn['content_hash']}").status_code == 404
    # A drawing's photo stays in its house: it cannot be moved onto the board.
    moved = familie.patch(f"/api/photos/{drawn['id']}", {"house": ""})
    assert moved.status_code == 422


def test_two_tablets_fill_one_record_offline_and_another_receives_it(
    as_user: Any, demo: dict[str, Any]
) -> None:
    # Both tablets derive the same id from the meeting (pwa/src/domain/ids.ts: housesId).
    record_id = new_uuid()
    first, second = Device(as_user("familie")), Device(as_user("paedagog"))
    first.upsert("houses", record_id, meeting_id=demo["meeting"], worries=WORRY)
    second.upsert("houses", record_id, meeting_id=demo["meeting"], good=GOOD)
    assert [r["status"] for r in first.push()] == ["applied"]
    assert [r["status"] for r in second.push()] == ["merged"]  # one record, fields merged
    third = Device(as_user("familie"))
    got = third.pull_record("houses", record_id)
    assert (got["fields"]["worries"], got["fields"]["good"]) == (WORRY, GOOD)
    assert got["fields"]["shared_with_parents"] is False
    # A push is refused field by field like the REST API.
    first.upsert("houses", record_id, meeting_id=demo["meeting"], dream="z" * 5001)
    [refused] = first.push()
    assert refused["status"] == "rejected", refused


def test_retention_takes_the_houses_and_their_drawings_with_the_course(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    leader = demo["users"]["familie"]
    course, start = closed_course(
        as_user("paedagog"), familie, leader, demo["children"]["Noah"], []
    )
    houses(familie, start)
    drawn = drawing(familie, start, "good", seed=91)
    assert any(drawn["content_hash"] in k for k in stored_keys(app))
    with app.app_context():
        db.session.execute(
            update(Course)
            .where(Course.id == course)
            .values(closed_at=utcnow() - timedelta(days=6 * 365))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert not any(drawn["content_hash"] in k for k in stored_keys(app))
    with app.app_context():
        for model in (Houses, BoardPhoto):
            left = select(func.count()).select_from(model).where(model.course_id == course)
            assert db.session.scalar(left) == 0, model
        assert db.session.get(BlobUpload, (drawn["content_hash"], leader)) is None


def test_a_second_houses_record_for_a_meeting_is_refused(
    as_user: Any, demo: dict[str, Any]
) -> None:
    """One record per meeting: a second under another id (not the tablet's derived one)
    would let its share choice speak for the first record's drawings, so it is refused by
    REST and by sync alike, and the first stays as it was."""
    familie = as_user("familie")
    first = houses(familie, demo["meeting"])
    again = familie.post(
        "/api/houses", {"meeting_id": demo["meeting"], "shared_with_parents": True}
    )
    assert again.status_code == 422
    assert again.get_json()["error"]["code"] == "houses_exist"
    assert set(again.get_json()["error"]["fields"]) == {"meeting_id"}
    device = Device(familie)
    device.upsert("houses", new_uuid(), meeting_id=demo["meeting"], shared_with_parents=True)
    [pushed] = device.push()
    assert pushed["status"] == "rejected", pushed
    kept = familie.get(f"/api/houses/{first['id']}").get_json()
    assert kept["shared_with_parents"] == first["shared_with_parents"]
    listed = familie.get(f"/api/meetings/{demo['meeting']}/houses").get_json()
    assert [h["id"] for h in listed] == [first["id"]]


def test_the_parents_access_log_does_not_tell_of_unshared_houses(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """What the child told staff in the three houses reaches the parents only when shared;
    the access log, which names every write about the child, must not tell of them either."""
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))  # the parents are invited to the report
    record = houses(familie, demo["meeting"])
    familie.patch(f"/api/houses/{record['id']}", {"dream": "En hest og en have"})
    familie.get(f"/api/houses/{record['id']}")
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    page = mor.get("/p/access").get_data(as_text=True).lower()
    assert "huse" not in page and "house" not in page
    assert "ændrede et møde" in page  # the write is there, said as the meeting's
