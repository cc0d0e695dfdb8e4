"""A photo whose bytes the server refuses for good (issue 24 point 4): the real tablet, the
real server behind a route that answers the upload as the server does for a photo too
large to store (``413 too_large``, server/photos/blobs.py).

The photo queue marks it failed with the reason; the leader sees it on the photo, in Danish,
as a refused change (to take again or discard); it is not uploaded again on the next sync,
and its record never reaches the server (a record without its bytes would be refused).
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

from playwright.sync_api import Page, Response, Route, expect

from tests.browser.live import api_session
from tests.browser.steps import camera_photo, open_demo_meeting, sign_in, stored, synced, take_photo

REFUSAL = (
    "Serveren tog ikke imod din ændring af et billede: Billedet er for stort til at blive sendt."
)


def is_pull(response: Response) -> bool:
    return response.url.endswith("/api/sync/pull")


def test_a_photo_the_server_refuses_is_shown_refused_and_not_sent_again(
    watched_page: Page, live_server: str, tmp_path: Path
) -> None:
    page = watched_page
    # Bytes no server has seen: the engine asks /api/blobs/missing first and sends only what
    # the server lacks, so a photo another test on this server already sent would never be
    # PUT (a fixed seed shared with test_security_policy did exactly that in full runs).
    camera_photo(tmp_path / "board.jpg", seed=secrets.randbits(48))
    puts: list[str] = []

    def too_large(route: Route) -> None:
        if route.request.method != "PUT":
            route.continue_()
            return
        puts.append(route.request.url)
        route.fulfill(
            status=413,
            content_type="application/json",
            body=json.dumps(
                {"error": {"code": "too_large", "message": "The photo is too large.", "fields": {}}}
            ),
        )

    page.route(re.compile(r".*/api/blobs/[0-9a-f]{64}$"), too_large)
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    open_demo_meeting(page)
    take_photo(page, tmp_path / "board.jpg", 1)
    [blob] = stored(page)
    api = api_session(live_server, "familie@example.org")
    lacking = api.post(
        f"{live_server}/api/blobs/missing", json={"hashes": [blob["hash"]]}, timeout=30
    )
    assert blob["hash"] in json.dumps(lacking.json()), "the server already had these bytes"
    # Sent now, as a leader would press it: the test is about the refusal, not about when the
    # engine's own timer sends (after a failed round under load it waits its backoff out).
    page.get_by_role("button", name="Send nu").click()
    alert = page.locator(".note-problem[role=alert]", has_text=REFUSAL)
    expect(alert).to_have_count(1, timeout=20_000)
    expect(alert.get_by_role("button", name="Kassér ændringen")).to_be_visible()
    expect(page.locator(".status[role=status]")).to_contain_text("1 afvist")
    assert puts == [f"{live_server}/api/blobs/{blob['hash']}"]

    # The app opened again runs a whole sync (uploads come before its pull): nothing is
    # uploaded again, and the refusal is still shown.
    with page.expect_response(is_pull):
        page.reload()  # the meeting stays open
    expect(alert).to_have_count(1)
    assert len(puts) == 1, puts

    # The server never got the record.
    course = next(c for c in api.get(f"{live_server}/api/courses", timeout=30).json())
    meeting = api.get(f"{live_server}/api/courses/{course['id']}/meetings", timeout=30).json()[0]
    photos = api.get(f"{live_server}/api/meetings/{meeting['id']}/photos", timeout=30).json()
    assert [p for p in photos if p["content_hash"] == blob["hash"]] == []
