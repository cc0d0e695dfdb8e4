"""A worry paired with a goal, the goal scaled at two meetings (issue 25 part 2), on an iPad in
Chromium: both meetings held offline at the table, everything sent afterwards; the tablet
draws the goal's scale across the meetings beside the scaling question, and the mother reads
it in the published report on her phone."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, expect

from tests.browser.report_world import ok
from tests.browser.story_walk import Walk
from tests.browser.tablet import LANDSCAPE, ipad

GOALS = "Mål for bekymringerne"


def test_a_worry_gets_a_goal_scaled_at_two_meetings_offline_and_shown_to_the_parents(
    browser: Browser, live_server: str
) -> None:
    with ipad(browser, LANDSCAPE) as tablet:
        walk = Walk.begin(browser, tablet, live_server)
        page, tag = walk.page, walk.tag
        kid = f"{walk.child} (barnets svar)"
        worry, goal = f"Alene i frikvarteret {tag}", f"Alma leger med en ven {tag}"
        goals = page.get_by_role("region", name=GOALS)

        def score(who: str, value: int) -> None:
            answer = goals.get_by_label(f"{who} om målet „{goal}“", exact=True)
            answer.select_option(str(value))
            expect(answer).to_have_value(str(value))

        def row(who: str) -> Any:
            return goals.locator("article", has_text=goal).locator("tbody tr", has_text=who)

        walk.open_meeting(1, "Opstartsmøde")
        with walk.at_the_table():
            walk.add_person(walk.mother, "Forælder")
            expect(goals).to_contain_text("Skriv først en bekymring")
            walk.note("Det der bekymrer", worry)
            walk.note("Det vi vil se ske", goal)
            goals.get_by_label("Bekymring", exact=True).select_option(label=worry)
            goals.get_by_label("Mål", exact=True).select_option(label=goal)
            goals.get_by_role("button", name="Par med et mål").click()
            expect(goals.get_by_role("heading", name=goal)).to_be_visible()
            expect(goals).to_contain_text(f"Bekymring: {worry}")
            score(walk.mother, 3)
            score(kid, 2)
            walk.finish(early=False)
        pairs = ok(walk.api.get(f"{walk.base}/api/courses/{walk.course_id}/goal-pairs", timeout=30))
        assert len(pairs) == 1 and pairs[0]["reached_at"] is None
        first = walk.meetings_on_server()[0]["id"]
        scores = ok(walk.api.get(f"{walk.base}/api/meetings/{first}/goal-scores", timeout=30))
        assert sorted(s["value"] for s in scores) == [2, 3]

        walk.open_meeting(2, "Opfølgningsmøde")
        with walk.at_the_table():
            walk.present(walk.mother).check()
            expect(goals.get_by_role("heading", name=goal)).to_be_visible()  # from meeting 1
            score(walk.mother, 7)
            score(kid, 6)
            expect(row(walk.mother).locator("td")).to_have_text(["3", "7"])
            expect(row(walk.child).locator("td")).to_have_text(["2", "6"])
            goals.get_by_label(re.compile("^Målet er nået")).check()
            expect(goals.get_by_text(re.compile("Nået \\d+\\. "))).to_be_visible()
            walk.finish()
        pair = ok(walk.api.get(f"{walk.base}/api/goal-pairs/{pairs[0]['id']}", timeout=30))
        assert pair["reached_at"] is not None
        walk.publish()

        with walk.mothers_phone() as mobile:
            mobile.get_by_role("link", name=re.compile("Opfølgningsmøde")).click()
            section = mobile.locator("section.goal", has_text=goal)
            expect(section).to_contain_text(worry)
            expect(section).to_contain_text("Målet blev nået")
            mother_row = section.locator("tbody tr", has_text=walk.mother).locator("td")
            expect(mother_row).to_have_text(["3", "7"])
