"""A child, guardians, a course and a start meeting made over real HTTP, for report tests;
the parents' links read from the live server's database, as the operator would."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, time, timedelta
from functools import cache
from typing import Any

import requests
from flask import Flask
from sqlalchemy import select

from server import create_app
from server.extensions import db
from server.models import OutboundMessage
from server.text.da import LOCAL
from tests.browser.live import LIVE_ENV, api_session
from tests.harness.children import new_child
from tests.sync.images import photo

LINK = re.compile(r"https?://\S+/p/invitation/\S+")


def ok(resp: requests.Response) -> Any:
    assert resp.status_code in (200, 201), resp.text
    return resp.json()


def soon_today() -> datetime:
    """An hour from now, but never past the end of today, in the browser's zone (this
    machine's) or in Copenhagen: a meeting planned for tomorrow makes the tablet ask "Er det
    holdt allerede?" when it is ended (a test failed so between 23.00 and 24.00)."""
    now = datetime.now(UTC)
    ends = [
        datetime.combine(now.astimezone(zone).date(), time(23, 59), zone)
        for zone in (datetime.now().astimezone().tzinfo, LOCAL)
    ]
    return min([now + timedelta(hours=1), *ends])


def new_course(base: str, first_name: str) -> dict[str, Any]:
    """A child at Solsikken with a mother and a father (custody both), its course led by the
    demo family-unit user, and a start meeting an hour from now."""
    api = api_session(base, "familie@example.org")
    me = ok(api.get(f"{base}/api/auth/me", timeout=30))["user"]
    institution = next(
        i for i in ok(api.get(f"{base}/api/institutions", timeout=30)) if i["name"] == "Solsikken"
    )
    child = ok(
        api.post(
            f"{base}/api/children",
            json=new_child(first_name, "Testesen", institution["id"]),
            timeout=30,
        )
    )
    for name, relation in (("Maria", "mor"), ("Mads", "far")):
        ok(
            api.post(
                f"{base}/api/guardians",
                json={
                    "child_id": child["id"],
                    "name": f"{name} Testesen",
                    "relation": relation,
                    "email": f"{name.lower()}.{first_name.lower()}@example.net",
                    "has_custody": True,
                },
                timeout=30,
            )
        )
    course = ok(
        api.post(
            f"{base}/api/courses",
            json={
                "child_id": child["id"],
                "leader_id": me["id"],
                "concern_level": "moderate",
                "reason": "Trist om morgenen",
                "start_date": datetime.now(UTC).date().isoformat(),
            },
            timeout=30,
        )
    )
    meeting = ok(
        api.post(
            f"{base}/api/meetings",
            json={
                "course_id": course["id"],
                "kind": "start",
                "place": "Solsikken",
                "starts_at": soon_today().isoformat(),
            },
            timeout=30,
        )
    )
    return {"api": api, "child": child, "course": course, "meeting": meeting}


def fill_and_publish(base: str, world: dict[str, Any], tag: str) -> dict[str, Any]:
    """Notes in every column, an agreement and an uploaded board photo; finish; publish."""
    api: requests.Session = world["api"]
    meeting_id = world["meeting"]["id"]
    for column in ("worries", "working", "next_steps"):
        ok(
            api.post(
                f"{base}/api/notes",
                json={"meeting_id": meeting_id, "column": column, "text": f"{column} {tag}"},
                timeout=30,
            )
        )
    ok(
        api.post(
            f"{base}/api/agreements",
            json={
                "meeting_id": meeting_id,
                "what": f"Fast voksen om morgenen {tag}",
                "owner": "institution",
                "due_date": "2030-01-15",
            },
            timeout=30,
        )
    )
    image = photo(size=(2400, 1800), seed=7)
    digest = hashlib.sha256(image).hexdigest()
    ok(
        api.put(
            f"{base}/api/blobs/{digest}",
            data=image,
            headers={"Content-Type": "image/jpeg"},
            timeout=30,
        )
    )
    ok(
        api.post(
            f"{base}/api/photos",
            json={
                "meeting_id": meeting_id,
                "content_hash": digest,
                "size": len(image),
                "caption": "Tavlen",
            },
            timeout=30,
        )
    )
    starts = datetime.fromisoformat(world["meeting"]["starts_at"])
    ok(
        api.patch(
            f"{base}/api/meetings/{meeting_id}",
            json={
                "status": "finished",
                "child_participation": "whole",
                "next_meeting_at": (starts + timedelta(days=28)).isoformat(),
            },
            timeout=30,
        )
    )
    return dict(ok(api.post(f"{base}/api/reports", json={"meeting_id": meeting_id}, timeout=30)))


def invitation_link(base: str, email: str) -> str:
    """The newest invitation sent to ``email``, read where the operator reads it: in the
    server's database (``flask outbox print``). Admins see delivery state only."""
    body = newest_message(email)
    found = LINK.search(body)
    assert found, body
    return found.group(0)


def newest_message(email: str) -> str:
    """The body of the newest message kept for ``email`` on the live server."""
    with _live_app().app_context():
        body = db.session.scalars(
            select(OutboundMessage.body)
            .where(OutboundMessage.to_address == email)
            .order_by(OutboundMessage.created_at.desc())
            .limit(1)
        ).first()
        db.session.remove()
    assert body is not None, f"no message to {email}"
    return body


@cache
def _live_app() -> Flask:
    return create_app(dict(LIVE_ENV))
