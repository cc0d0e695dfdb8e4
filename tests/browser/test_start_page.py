"""The start page: courses near their limits, and the hand-over after an underretning."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.report_world import new_course, ok
from tests.browser.steps import sign_in, synced


def test_limits_are_warned_of_and_a_hand_over_closes_the_course(
    page: Page, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:5]
    # A course with four meetings: the next must be the closing one.
    busy = new_course(live_server, f"Vera{tag}")
    api = busy["api"]
    first = datetime.fromisoformat(busy["meeting"]["starts_at"])
    for weeks in (4, 8, 12):
        ok(
            api.post(
                f"{live_server}/api/meetings",
                json={
                    "course_id": busy["course"]["id"],
                    "kind": "follow_up",
                    "starts_at": (first + timedelta(weeks=weeks)).isoformat(),
                },
                timeout=30,
            )
        )
    # A course whose start meeting decided an underretning.
    reported = new_course(live_server, f"Otto{tag}")
    ok(
        reported["api"].patch(
            f"{live_server}/api/meetings/{reported['meeting']['id']}",
            json={
                "status": "finished",
                "child_participation": "whole",
                "underretning": True,
                "underretning_note": "Bekymring",
                "next_meeting_at": (datetime.now(UTC) + timedelta(days=20)).isoformat(),
            },
            timeout=30,
        )
    )
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    limits = page.get_by_role("region", name="Forløb tæt på grænserne")
    expect(limits.get_by_text(f"Vera{tag}: møde 4 af 5")).to_be_visible()
    awaiting = page.get_by_role("region", name="Afventer børne- og ungerådgiveren")
    item = awaiting.get_by_role("listitem").filter(has_text=f"Otto{tag}")
    expect(item).to_contain_text("der er lavet en underretning")
    item.get_by_role("button", name="Registrér overdragelsen").click()
    # Said above the lists: the course leaves the list as soon as the tablet pulls.
    notice = page.get_by_role("status").filter(has_text="Overdragelsen er registreret")
    expect(notice).to_be_visible()
    course = ok(
        reported["api"].get(f"{live_server}/api/courses/{reported['course']['id']}", timeout=30)
    )
    assert course["status"] == "handed_over"
    synced(page)
    expect(awaiting.get_by_text(f"Otto{tag}")).to_have_count(0)
