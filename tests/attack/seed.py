"""Deep data for the fuzzer: on top of the demo, a record of every kind, a finished and
published meeting, a filed report, a document, photo bytes, a parent's phone, a sync conflict,
and a second course of another institution that the fuzzing users may not see.

Made through the API (Flask's test client on the served app's database), so every record is
one the server itself accepted. ``Pools`` then lists the ids of every kind, for the fuzzer to
put into paths and bodies instead of random strings that would only ever meet a 404.
"""

from __future__ import annotations

import io
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from PIL import Image
from sqlalchemy import select

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import set_cpr
from server.models import (
    AccountChange,
    Agreement,
    Attachment,
    BoardNote,
    BoardPhoto,
    Child,
    Consent,
    Course,
    Filing,
    Guardian,
    GuardianSession,
    Houses,
    Institution,
    Meeting,
    Minutes,
    ParentComment,
    Participant,
    Report,
    ReportReading,
    ScalingAnswer,
    SyncConflict,
    Task,
    User,
)
from sync.clock import Clock
from tests.attack.doors import PASSWORDS, Door
from tests.attack.served import PASSWORD
from tests.harness import SYNC, ApiClient
from tests.server.accounts import new_staff
from tests.server.reporting import invitation_links
from tests.server.world import build_course, created

# Wire name of every record kind → its model (the pools are keyed by wire name).
MODELS: dict[str, Any] = {
    "child": Child,
    "guardian": Guardian,
    "course": Course,
    "meeting": Meeting,
    "participant": Participant,
    "board_note": BoardNote,
    "board_photo": BoardPhoto,
    "agreement": Agreement,
    "minutes": Minutes,
    "consent": Consent,
    "task": Task,
    "report": Report,
    "report_reading": ReportReading,
    "filing": Filing,
    "scaling_answer": ScalingAnswer,
    "parent_comment": ParentComment,
    "houses": Houses,
    "conflict": SyncConflict,
    "attachment": Attachment,
    "user": User,
    "institution": Institution,
    "guardian_session": GuardianSession,
    "account_change": AccountChange,
}


def small_image(fmt: str = "PNG", seed: int = 0) -> bytes:
    """A tiny real image (decoding and re-encoding it costs next to nothing)."""
    img = Image.new("RGB", (48, 32), (seed % 256, 90, 160))
    img.putpixel((seed % 48, 3), (255, 255, 255))
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


def sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def seed(app: Flask, door: Door | None = None) -> dict[str, list[str]]:
    """Build the deep data on top of the demo, everyone signed in through ``door`` (local
    passwords and personal links by default); returns the pools of ids by kind."""
    door = door or Door(PASSWORDS)
    admin = door.staff(app, "admin@example.org")
    familie = door.staff(app, "familie@example.org")
    ids = demo_ids(app)
    created(admin.post("/api/institutions", {"name": "Byskolen", "kind": "school"}))
    frank = {"email": "familie2@example.org", "name": "Frank Familie", "role": "family_unit"}
    if door.provider:
        # With the municipality's login the account is made by its first sign-in.
        door.enrol(frank["email"], frank["role"], None, frank["name"])
    else:
        new_staff(app, admin, door.staff(app, "admin2@example.org"), frank, PASSWORD)
    meeting = ids["meeting"]
    _meeting_parts(familie, meeting, ids)
    _course_extras(familie, ids)
    _finish_publish_file(app, familie, meeting, ids, door)
    _conflict(familie, ids)
    other = door.staff(app, "familie2@example.org")
    me = other.get("/api/auth/me").get_json()["user"]["id"]
    build_course(other, ids["institutions"]["Skovbørnehaven"], me)
    _cpr_numbers(app)
    return pools(app)


def seeded_cpr(index: int) -> str:
    """A valid CPR number of its own for the ``index``-th row (born 2010-2019)."""
    day, month, year = 1 + index % 28, 1 + (index // 28) % 12, 10 + index % 10
    return f"{day:02d}{month:02d}{year:02d}{4000 + 7 * index:04d}"


def _cpr_numbers(app: Flask) -> None:
    """A CPR number on every child and guardian, for the suites that look for one where it
    must never be (tests/attack/test_cpr_never_leaks.py, the fuzzer)."""
    with app.app_context():
        rows = [
            *db.session.scalars(select(Child).order_by(Child.id)),
            *db.session.scalars(select(Guardian).order_by(Guardian.id)),
        ]
        for index, row in enumerate(rows):
            # The demo's own numbers stay: a guardian's number changed ends its parents'
            # access (server/parents/guardian_access.py), and the seed's phones read on.
            if row.cpr is None:
                set_cpr(row, Cpr(seeded_cpr(index)))
        db.session.commit()
        db.session.remove()


def demo_ids(app: Flask) -> dict[str, Any]:
    with app.app_context():
        out: dict[str, Any] = {
            "course": db.session.scalars(select(Course.id)).one(),
            "meeting": db.session.scalars(select(Meeting.id)).one(),
            "institutions": {i.name: i.id for i in db.session.scalars(select(Institution))},
            "users": {u.email.split("@")[0]: u.id for u in db.session.scalars(select(User))},
            "emma": db.session.scalars(select(Child.id).where(Child.first_name == "Emma")).one(),
        }
        out["guardian"] = db.session.scalars(
            select(Guardian.id).where(Guardian.child_id == out["emma"])
        ).first()
        return out


def _meeting_parts(familie: ApiClient, meeting: str, ids: dict[str, Any]) -> None:
    for column in ("worries", "working", "next_steps"):
        created(
            familie.post(
                "/api/notes", {"meeting_id": meeting, "column": column, "text": f"Emma {column}"}
            )
        )
    created(
        familie.post(
            "/api/agreements",
            {
                "meeting_id": meeting,
                "what": "Fast voksen",
                "owner": "institution",
                "due_date": "2030-01-15",
            },
        )
    )
    created(familie.post("/api/minutes", {"meeting_id": meeting, "text": "Referat"}))
    created(familie.post("/api/houses", {"meeting_id": meeting, "good": "Min hund"}))
    image = small_image("JPEG")
    resp = familie.put(
        f"/api/blobs/{sha(image)}", data=image, headers={"Content-Type": "image/jpeg"}
    )
    assert resp.status_code == 200, resp.get_json()
    created(
        familie.post(
            "/api/photos",
            {
                "meeting_id": meeting,
                "content_hash": sha(image),
                "size": len(image),
                "content_type": "image/jpeg",
            },
        )
    )


def _course_extras(familie: ApiClient, ids: dict[str, Any]) -> None:
    course = ids["course"]
    created(
        familie.post(
            "/api/consents",
            {"course_id": course, "guardian_id": ids["guardian"], "status": "requested"},
        )
    )
    created(
        familie.post(
            "/api/tasks",
            {
                "course_id": course,
                "title": "Ring til mor",
                "assignee_role": "family_unit",
                "assignee_id": ids["users"]["familie"],
            },
        )
    )
    assert (
        familie.post(f"/api/courses/{course}/members", {"user_id": ids["users"]["ppr"]}).status_code
        == 201
    )
    resp = familie.raw.post(
        f"/api/courses/{course}/attachments",
        data={
            "file": (io.BytesIO(small_image("PNG", 7)), "topi.png"),
            "title": "TOPI",
            "kind": "topi",
            "shared_with_guardians": "true",
        },
        headers={"X-CSRF-Token": familie.csrf_token or ""},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_json()


def _finish_publish_file(
    app: Flask, familie: ApiClient, meeting: str, ids: dict[str, Any], door: Door
) -> None:
    starts = datetime.fromisoformat(familie.get(f"/api/meetings/{meeting}").get_json()["starts_at"])
    resp = familie.patch(
        f"/api/meetings/{meeting}",
        {
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": (starts + timedelta(days=28)).astimezone(UTC).isoformat(),
        },
    )
    assert resp.status_code == 200, resp.get_json()
    created(
        familie.post(
            "/api/meetings",
            {
                "course_id": ids["course"],
                "kind": "follow_up",
                "starts_at": (starts + timedelta(days=28)).astimezone(UTC).isoformat(),
            },
        )
    )
    created(familie.post("/api/reports", {"meeting_id": meeting}))
    created(familie.post("/api/filings", {"meeting_id": meeting}))
    # A parent opens the link on a phone (or signs in with MitID): a guardian session and a
    # read receipt.
    link = "" if door.provider else invitation_links(app, ids["emma"])["mor"]
    mother = door.parent(app, "Mette", link)
    resp = mother.get(f"/p/reports/{meeting}")
    assert resp.status_code == 200, resp.status_code


def _conflict(familie: ApiClient, ids: dict[str, Any]) -> None:
    """Two tablets of the leader change the same note offline: one value loses."""
    note = created(
        familie.post(
            "/api/notes",
            {"meeting_id": _open_meeting(familie, ids), "column": "worries", "text": "Først"},
        )
    )
    for text, node in (("Tablet A", "aaaa"), ("Tablet B", "bbbb")):
        clock = Clock(node, now_ms=lambda: int(datetime.now(UTC).timestamp() * 1000))
        body = {
            "client_id": str(uuid.uuid4()),
            "mutations": [
                {
                    "id": str(uuid.uuid4()),
                    "entity": "board_note",
                    "record_id": note["id"],
                    "op": "upsert",
                    "fields": {"text": text},
                    "base_version": note["version"],
                    "clock": str(clock.tick()),
                }
            ],
        }
        assert familie.post("/api/sync/push", body, headers=SYNC).status_code == 200


def _open_meeting(familie: ApiClient, ids: dict[str, Any]) -> str:
    meetings = familie.get(f"/api/courses/{ids['course']}/meetings").get_json()
    return str(next(m["id"] for m in meetings if m["status"] != "finished"))


def pools(app: Flask) -> dict[str, list[str]]:
    """Every id of every kind (deleted ones too), sorted so a seeded run repeats itself."""
    out: dict[str, list[str]] = defaultdict(list)
    with app.app_context():
        for name, model in MODELS.items():
            out[name] = sorted(db.session.scalars(select(model.id)))
        out["blob"] = sorted(set(db.session.scalars(select(BoardPhoto.content_hash))))
        # Not ids: the CPR numbers set above, in digits, for the greps.
        numbers = [
            *db.session.scalars(select(Child.cpr)),
            *db.session.scalars(select(Guardian.cpr)),
        ]
        out["cpr"] = sorted(cpr.digits for cpr in numbers if cpr is not None)
        db.session.remove()
    return dict(out)
