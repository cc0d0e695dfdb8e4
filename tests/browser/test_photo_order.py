"""A board photo whose record reaches the server before its bytes: the real tablet, the real
server (issue 10 item 2, sync/PROTOCOL.md "Photos").

The server takes a photo record only from someone who uploaded its bytes (or can already read
them), and otherwise answers ``photo_not_uploaded`` — an answer that is not final. Here the
tablet's first upload is answered 200 by something that is not the server (a captive portal,
a proxy that lost it), so the tablet believes the bytes are up and sends the record. The
server refuses it; the tablet must upload again and send again, show nothing as refused, and
end with the photo on the server, served to a colleague's tablet.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.live import api_session
from tests.browser.steps import (
    camera_photo,
    open_demo_meeting,
    sign_in,
    stored,
    synced,
    take_photo,
    wait_until,
)


def test_a_record_sent_before_its_bytes_ends_uploaded_and_shown_without_a_refusal(
    browser: Browser, watched_page: Page, live_server: str, tmp_path: Path
) -> None:
    page = watched_page
    camera_photo(tmp_path / "board.jpg", seed=31)  # bytes no other test sends
    puts: list[str] = []

    def first_put_lost(route: Route) -> None:
        if route.request.method != "PUT":
            route.continue_()
            return
        puts.append(route.request.url)
        if len(puts) == 1:  # answered on the way, never reaching the server
            route.fulfill(
                status=200,
                content_type="application/json",
                body=json.dumps({"received": len(route.request.post_data_buffer or b"")}),
            )
        else:
            route.continue_()

    # Each push answer is read on its way to the tablet, so it is counted before the tablet
    # acts on it; every request is logged, so that a failure says what the tablet did.
    refusals: list[dict[str, Any]] = []
    log: list[str] = []

    def push_read(route: Route) -> None:
        answer = route.fetch()
        if answer.ok:
            refusals.extend(
                r
                for r in answer.json()["results"]
                if r.get("error", {}).get("code") == "photo_not_uploaded"
            )
        log.append(f"push answered {answer.status}, refusals so far {len(refusals)}")
        route.fulfill(response=answer)

    page.route(re.compile(r".*/api/blobs/[0-9a-f]{64}$"), first_put_lost)
    page.route(re.compile(r".*/api/sync/push$"), push_read)
    page.on(
        "requestfinished",
        lambda r: log.append(f"{r.method} {r.url} finished") if "/api/" in r.url else None,
    )
    page.on("requestfailed", lambda r: log.append(f"{r.method} {r.url} failed: {r.failure}"))
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    open_demo_meeting(page)
    take_photo(page, tmp_path / "board.jpg", 1)
    synced(page)

    [blob] = stored(page)
    digest = blob["hash"]
    # The path under test was taken: the record went first and was told the bytes were not up.
    if len(refusals) != 1 or puts != [f"{live_server}/api/blobs/{digest}"] * 2:
        pytest.fail(
            f"{len(refusals)} refusals, PUTs {puts}; what the tablet did:\n" + "\n".join(log)
        )
    # Nothing refused or waiting is shown, and the photo is shown from the device.
    expect(page.get_by_text(re.compile("Serveren tog ikke imod"))).to_have_count(0)
    expect(page.locator(".status[role=status]")).not_to_contain_text("afvist")
    expect(page.get_by_text("Ikke sendt endnu")).to_have_count(0)
    expect(page.locator("img[alt='Billede af tavlen'][src^='blob:']")).to_have_count(1)

    # On the server: the record, uploaded, and its bytes served to the course's staff.
    api = api_session(live_server, "paedagog@example.org")
    course = next(c for c in api.get(f"{live_server}/api/courses", timeout=30).json())
    meeting = api.get(f"{live_server}/api/courses/{course['id']}/meetings", timeout=30).json()[0]
    records = [
        p
        for p in api.get(f"{live_server}/api/meetings/{meeting['id']}/photos", timeout=30).json()
        if p["content_hash"] == digest
    ]
    assert [r["uploaded"] for r in records] == [True]
    served = api.get(f"{live_server}/api/blobs/{digest}", timeout=30)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/webp"

    # A colleague's tablet, which never had the bytes, shows the photo from the server.
    colleague = browser.new_context(locale="da-DK", viewport={"width": 1024, "height": 768})
    try:
        other = colleague.new_page()
        other.goto(live_server)
        sign_in(other, "paedagog@example.org")
        synced(other)
        open_demo_meeting(other)
        thumb = other.locator(f"img[alt='Billede af tavlen'][src*='{digest}']")
        expect(thumb).to_have_count(1)
        wait_until(
            other, "img => img.complete && img.naturalWidth > 0", thumb.element_handle(), timeout=20
        )
    finally:
        colleague.close()
