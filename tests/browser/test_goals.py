"""A worry paired with a goal, the goal scaled at two meetings (issue 25 part 2), on an iPad in
Chromium: both meetings held offline at the table, everything sent afterwards; the tablet
draws the goal's scale across the meetings beside the scaling question, and the mother reads
it in the published report on her phone."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.browser.report_world import ok
from tests.browser.story_walk import Walk
from tests.browser.tablet import LANDSCAPE, ipad


def test_a_worry_gets_a_goal_scaled_at_two_meetings_offline_and_shown_to_the_parents(
    browser: Browser, live_server: str
) -> None:
    with ipad(browser, LANDSCAPE) as tablet:
        walk = Walk.begin(browser, tablet, live_server)
        mother, kid = walk.mother, f"{walk.child} (barnets svar)"
        worry, goal = f"Alene i frikvarteret {walk.tag}", f"Alma leger med en ven {walk.tag}"
        goals = walk.goals()

        walk.open_meeting(1, "Opstartsmøde")
        with walk.at_the_table():
            walk.add_person(mother, "Forælder")
            expect(goals).to_contain_text("Skriv først en bekymring")
            walk.note("Det der bekymrer", worry)
            walk.note("Det vi vil se ske", goal)
            walk.pair_goal(worry, goal)
            expect(goals).to_contain_text(f"Bekymring: {worry}")
            walk.score_goal(goal, mother, 3)
            walk.score_goal(goal, kid, 2)
            walk.finish(early=False)
        api, base = walk.api, walk.base
        pairs = ok(api.get(f"{base}/api/courses/{walk.course_id}/goal-pairs", timeout=30))
        assert len(pairs) == 1 and pairs[0]["reached_at"] is None
        first = walk.meetings_on_server()[0]["id"]
        scores = ok(api.get(f"{base}/api/meetings/{first}/goal-scores", timeout=30))
        assert sorted(s["value"] for s in scores) == [2, 3]

        walk.open_meeting(2, "Opfølgningsmøde")
        with walk.at_the_table():
            walk.present(mother).check()
            expect(goals.get_by_role("heading", name=goal)).to_be_visible()  # from meeting 1
            walk.score_goal(goal, mother, 7)
            walk.score_goal(goal, kid, 6)
            expect(walk.goal_row(goal, mother)).to_have_text(["3", "7"])
            expect(walk.goal_row(goal, walk.child)).to_have_text(["2", "6"])
            goals.get_by_label(re.compile("^Målet er nået")).check()
            expect(goals.get_by_text(re.compile(r"Nået \d+\. "))).to_be_visible()
            walk.finish()
        pair = ok(api.get(f"{base}/api/goal-pairs/{pairs[0]['id']}", timeout=30))
        assert pair["reached_at"] is not None
        walk.publish()

        with walk.mothers_phone() as mobile:
            mobile.get_by_role("link", name=re.compile("Opfølgningsmøde")).click()
            section = mobile.locator("section.goal", has_text=goal)
            expect(section).to_contain_text(worry)
            expect(section).to_contain_text("Målet blev nået")
            mother_row = section.locator("tbody tr", has_text=mother).locator("td")
            expect(mother_row).to_have_text(["3", "7"])
