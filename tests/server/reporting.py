"""Helpers for the report tests: a finished meeting with a photo, publishing, a parent's phone."""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from server.extensions import db
from server.models import BoardPhoto, Guardian, Meeting, OutboundMessage, User
from tests.harness import ApiClient, Client
from tests.server.world import created
from tests.sync.images import photo, sha

LINK = re.compile(r"https?://\S+/p/invitation/\S+")


def pdf_text(data: bytes) -> str:
    """The text of a PDF, as a reader would copy it (pypdf)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def upload(client: ApiClient, data: bytes) -> None:
    resp = client.put(f"/api/blobs/{sha(data)}", data=data, headers={"Content-Type": "image/jpeg"})
    assert resp.status_code in (200, 201), resp.get_json()


def fill_meeting(client: ApiClient, meeting_id: str, tag: str = "") -> dict[str, Any]:
    """Notes in all three columns, an agreement and a board photo; then finish the meeting."""
    notes = {}
    for column in ("worries", "working", "next_steps"):
        notes[column] = created(
            client.post(
                "/api/notes",
                {
                    "meeting_id": meeting_id,
                    "column": column,
                    "text": f"{column} note {tag}".strip(),
                },
            )
        )["id"]
    created(
        client.post(
            "/api/agreements",
            {
                "meeting_id": meeting_id,
                "what": f"Pædagogen inviterer til leg {tag}".strip(),
                "owner": "institution",
                "due_date": "2030-01-15",
            },
        )
    )
    image = photo(size=(2400, 1800), seed=len(tag))
    upload(client, image)  # the bytes first: a record may name only bytes its author sent
    photo_id = created(
        client.post(
            "/api/photos",
            {
                "meeting_id": meeting_id,
                "content_hash": sha(image),
                "size": len(image),
                "content_type": "image/jpeg",
                "caption": "Tavlen",
            },
        )
    )["id"]
    meeting = client.get(f"/api/meetings/{meeting_id}").get_json()
    starts = datetime.fromisoformat(meeting["starts_at"])
    resp = client.patch(
        f"/api/meetings/{meeting_id}",
        {
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": (starts + timedelta(days=28)).astimezone(UTC).isoformat(),
        },
    )
    assert resp.status_code == 200, resp.get_json()
    return {"notes": notes, "photo": photo_id, "image": image}


def publish(client: Client, meeting_id: str) -> Any:
    return client.post("/api/reports", {"meeting_id": meeting_id})


def invitation_links(app: Flask, child_id: str) -> dict[str, str]:
    """The newest invitation link per guardian relation ("mor", "far") from the outbox."""
    with app.app_context():
        rows = db.session.execute(
            select(OutboundMessage, Guardian)
            .join(Guardian)
            .where(Guardian.child_id == child_id)
            .order_by(OutboundMessage.created_at)
        ).all()
        links = {}
        for message, guardian in rows:
            found = LINK.search(message.body)
            assert found, message.body
            links[guardian.relation] = "/p/" + found.group(0).split("/p/", 1)[1]
        return links


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(page: Any) -> str:
    """The CSRF token in a parents' page's form (as the phone's browser would send it)."""
    found = CSRF_FIELD.search(page.get_data(as_text=True))
    assert found, page.get_data(as_text=True)
    return found.group(1)


def phone(app: Flask, link: str) -> Any:
    """A fresh phone that opens an invitation link (GET, then the button's POST)."""
    client = app.test_client()
    page = client.get(link)
    assert page.status_code == 200, page.status_code
    resp = client.post(link, data={"csrf_token": form_token(page)})
    assert resp.status_code == 303, resp.get_data(as_text=True)
    return client


def answer_consent(client: Any, consent_id: str, answer: str) -> Any:
    """Press a consent button on the phone's consent page (with the page's CSRF token)."""
    token = form_token(client.get("/p/consent"))
    return client.post(f"/p/consent/{consent_id}", data={"answer": answer, "csrf_token": token})


def second_child_report(educator: ApiClient, familie: ApiClient, child_id: str) -> str:
    """A course for another child (opened by its educator) with a published report; returns
    its meeting id."""
    course = created(
        educator.post(
            "/api/courses",
            {
                "child_id": child_id,
                "leader_id": familie_id(familie),
                "concern_level": "moderate",
                "reason": "Trist om morgenen",
                "start_date": datetime.now(UTC).date().isoformat(),
            },
        )
    )
    meeting = created(
        familie.post(
            "/api/meetings",
            {
                "course_id": course["id"],
                "kind": "start",
                "starts_at": (datetime.now(UTC) + timedelta(hours=2)).isoformat(),
                "place": "Hjemme",
            },
        )
    )
    fill_meeting(familie, meeting["id"], "B")
    created(publish(familie, meeting["id"]))
    return str(meeting["id"])


def familie_id(client: ApiClient) -> str:
    return str(client.get("/api/auth/me").get_json()["user"]["id"])


def photo_without_its_bytes(app: Flask, meeting_id: str, author_email: str) -> dict[str, Any]:
    """A board photo record whose author has not uploaded its bytes — as records accepted
    before a record had to name bytes its author uploaded (and those migration 0007 backed by
    their author) may still be. Made in the database: the API no longer makes one."""
    image = photo(size=(1200, 900), seed=77)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        author = db.session.scalar(select(User).where(User.email == author_email))
        assert meeting is not None and author is not None
        record = BoardPhoto(
            id=str(uuid.uuid4()),
            meeting_id=meeting_id,
            course_id=meeting.course_id,
            content_hash=sha(image),
            size=len(image),
            content_type="image/jpeg",
            caption="",
            uploader_id=author.id,
            version=1,
            field_clocks={},
        )
        db.session.add(record)
        db.session.commit()
        return {"photo": record.id, "image": image}
