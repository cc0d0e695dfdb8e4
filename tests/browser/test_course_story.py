"""A whole course of five meetings as one story (issue 12), on an iPad in Chromium: every
meeting held offline at the table, everything sent between meetings.

Meeting 1: attendance, a note moved to "Det vi vil se ske" with 'Flyt til …', a note deleted
by mistake and brought back with "Fortryd", two board photos of which one is deleted before it
is sent (the server never gets its bytes), agreements, everyone on the scaling question. The
mother writes her own words on the report from her phone; the tablet shows them. Meetings 2-4
start from the last: participants carried over (presence unticked), the last board's "Det vi
vil se ske" on top, the last agreements reviewed (one carried on, and reviewed again); a note
is dragged to another column with a finger; finishing a meeting dated ahead is asked about
first. Finishing the fourth makes the fifth the closing meeting, which is finished and closes
the course. The chart shows the five meetings on the tablet and in the parents' report, and
the start page lists the course's meetings with their numbers and what became of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.browser.report_world import ok
from tests.browser.story_walk import Walk
from tests.browser.tablet import LANDSCAPE, ipad, note

CHILD_ANSWERS = [2, 4, 5, 7, 8]
MOTHER_ANSWERS = [3, 5, 6, 8, 9]
NO_ANSWER = "\u2013"  # the chart's table shows a dash where someone did not answer


def test_a_course_of_five_meetings_told_as_one_story(
    browser: Browser, live_server: str, tmp_path: Path
) -> None:
    with ipad(browser, LANDSCAPE) as tablet:
        story(Walk.begin(browser, tablet, live_server), tmp_path)


def story(walk: Walk, tmp_path: Path) -> None:
    page, child, mother, tag = walk.page, walk.child, walk.mother, walk.tag
    kid = f"{child} (barnets svar)"
    wish, worry, oops = (
        f"Alma leger med en ven {tag}",
        f"Alene i frikvarteret {tag}",
        f"Alma siger godmorgen {tag}",
    )
    promise, call = f"Fast voksen om morgenen {tag}", f"Mor ringer til PPR {tag}"
    # The child's three houses: not shared at the start, shared at the end (issue 25 §3).
    kept_house, shared_house = f"Alma kan lide at gynge {tag}", f"En hest i haven {tag}"

    # Meeting 1, the start meeting: at the table, offline from the start (the app from cache).
    walk.context.set_offline(True)
    page.reload()
    walk.context.set_offline(False)
    walk.open_meeting(1, "Opstartsmøde")
    with walk.at_the_table():
        expect(
            page.get_by_role("region", name="Siden sidst: aftalerne fra sidste møde")
        ).to_have_count(0)  # nothing before the first meeting
        walk.add_person(mother, "Forælder")
        walk.add_person("Peter Pædagog", "Pædagog/lærer")
        walk.note("Det der fungerer", wish)
        walk.note("Det der fungerer", oops)
        walk.move_with_button(wish, "Det vi vil se ske")
        expect(walk.notes_in("Det der fungerer")).to_have_text([oops])
        walk.delete_and_undo(oops)
        kept = walk.take_photo(tmp_path / "tavle.jpg", seed=11)
        blurred = walk.take_photo(tmp_path / "tavle-igen.jpg", seed=12)
        expect(walk.photos_shown()).to_have_count(2)
        walk.delete_photo(2)
        expect(walk.photos_shown()).to_have_count(1)
        walk.agreement(promise, "Dagtilbud/skole")
        walk.agreement(call, "Forældrene")
        expect(
            page.get_by_text(
                re.compile(f"På en skala fra 0 til 10, hvor 10 betyder, at {child} trives")
            )
        ).to_be_visible()
        walk.scale(mother, MOTHER_ANSWERS[0])
        walk.scale(kid, CHILD_ANSWERS[0])
        walk.scale("Peter Pædagog", 4)
        walk.house("Huset med de gode ting", kept_house)  # "Deles med forældrene" left off
        walk.finish(early=False)  # on its own day: no question
    first = walk.meetings_on_server()[0]["id"]
    assert walk.server_notes(first) == {wish: "next_steps", oops: "working"}
    # The deleted photo's bytes never left the tablet: the server holds only the kept one.
    assert walk.server_photos(first) == [kept]
    assert walk.bytes_on_server(kept) and walk.bytes_on_server(blurred) == []
    assert not any(blurred in url for url in walk.uploads)
    walk.publish()

    # The mother writes her own words on the report, from her phone; the tablet shows them.
    comment = f"Vi er glade for aftalen om en fast voksen {tag}"
    with walk.mothers_phone() as mobile:
        mobile.get_by_role("link", name=re.compile("Opstartsmøde")).click()
        expect(mobile.locator("main img")).to_have_count(1)  # the kept photo only
        expect(mobile.get_by_role("listitem").filter(has_text=wish)).to_have_count(1)
        expect(mobile.get_by_text(kept_house)).to_have_count(0)  # not shared: not there
        mobile.get_by_label("Jeres bemærkning").fill(comment)
        mobile.get_by_role("button", name="Send bemærkningen").click()
        expect(mobile.get_by_text("Tak. Jeres bemærkning er sendt.")).to_be_visible()
    page.get_by_role("button", name="Send nu").click()
    comments = page.get_by_role("region", name="Forældrenes bemærkninger")
    expect(comments).to_contain_text(comment, timeout=30_000)
    expect(comments).to_contain_text("mor")

    # Meeting 2: on the start page, the first is held and the second planned.
    page.get_by_role("button", name="Tilbage til møderne").click()
    expect(walk.meeting_button(1)).to_contain_text("Holdt ")
    expect(walk.meeting_button(2)).to_contain_text("Planlagt")
    # It starts from the last one, offline.
    walk.open_meeting(2, "Opfølgningsmøde")
    with walk.at_the_table():
        since = page.get_by_role("region", name="Siden sidst: aftalerne fra sidste møde")
        expect(since).to_contain_text(wish)  # the last board's "Det vi vil se ske", on top
        expect(since).not_to_contain_text(oops)
        expect(
            page.get_by_text(re.compile("2 deltagere fra sidste møde er sat på listen"))
        ).to_be_visible()
        expect(walk.present(mother)).not_to_be_checked()  # carried over, presence unticked
        expect(walk.present("Peter Pædagog")).not_to_be_checked()
        walk.present(mother).check()
        walk.review(promise, "Udført")
        walk.review(call, "Fortsætter")  # carried on: a new agreement of this meeting
        expect(page.locator(".agreements").get_by_text(call)).to_be_visible()
        walk.note("Det der bekymrer", worry)
        walk.note("Det der fungerer", f"Alma spiser frokost {tag}")
        walk.drag(worry, "Det der fungerer")
        expect(walk.notes_in("Det der bekymrer")).to_have_count(0)
        expect(note(page, worry)).to_contain_text("Ikke sendt endnu")
        walk.scale(mother, MOTHER_ANSWERS[1])
        walk.scale(kid, CHILD_ANSWERS[1])
        expect(walk.chart_row(mother)).to_have_text([str(v) for v in MOTHER_ANSWERS[:2]])
        walk.finish()  # dated four weeks ahead: asked about first
    second = walk.meetings_on_server()[1]["id"]
    assert walk.server_notes(second)[worry] == "working"
    walk.publish()

    # Meetings 3 and 4, each from the last: the carried agreement is reviewed again.
    walk.open_meeting(3, "Opfølgningsmøde")
    with walk.at_the_table():
        walk.review(call, "Udført")
        walk.scale(mother, MOTHER_ANSWERS[2])
        walk.scale(kid, CHILD_ANSWERS[2])
        walk.finish()
    walk.open_meeting(4, "Opfølgningsmøde")
    with walk.at_the_table():
        expect(page.get_by_text("Der blev ikke lavet aftaler på sidste møde.")).to_be_visible()
        closing = page.get_by_label("Næste møde er afslutningsmødet")
        expect(closing).to_be_checked()  # the fifth meeting is always the closing one
        expect(closing).to_be_disabled()
        expect(page.get_by_text("Næste møde bliver møde 5 af 5")).to_be_visible()
        walk.scale(mother, MOTHER_ANSWERS[3])
        walk.scale(kid, CHILD_ANSWERS[3])
        walk.finish()

    # Meeting 5, the closing meeting: finished, and the course is closed.
    walk.open_meeting(5, "Afslutningsmøde")
    with walk.at_the_table():
        expect(page.get_by_text("Dette er afslutningsmødet.")).to_be_visible()
        walk.scale(mother, MOTHER_ANSWERS[4])
        walk.scale(kid, CHILD_ANSWERS[4])
        # The chart shows the whole course: one line per person, five meetings.
        chart = page.locator(".scaling-chart")
        expect(chart.locator("svg[role=img] polyline")).to_have_count(3)
        expect(walk.chart_row(mother)).to_have_text([str(v) for v in MOTHER_ANSWERS])
        expect(walk.chart_row(child)).to_have_text([str(v) for v in CHILD_ANSWERS])
        expect(walk.chart_row("Peter Pædagog")).to_have_text(["4", *[NO_ANSWER] * 4])
        walk.house("Drømmehuset", shared_house)
        page.get_by_label("Deles med forældrene").check()
        expect(page.get_by_label("Deles med forældrene")).to_be_checked()
        walk.finish(next_in_days=None)
    expect(page.get_by_text("Forløbet er afsluttet")).to_be_visible(timeout=30_000)
    walk.publish()

    # The server holds the same story.
    api, base = walk.api, walk.base
    assert ok(api.get(f"{base}/api/courses/{walk.course_id}", timeout=30))["status"] == "closed"
    meetings = walk.meetings_on_server()
    assert [m["kind"] for m in meetings] == [
        "start",
        "follow_up",
        "follow_up",
        "follow_up",
        "closing",
    ]
    assert all(m["status"] == "finished" and m["held_at"] for m in meetings)
    people = ok(api.get(f"{base}/api/meetings/{meetings[4]['id']}/participants", timeout=30))
    assert sorted(p["name"] for p in people) == sorted([mother, "Peter Pædagog"])
    carried = [
        a
        for a in ok(api.get(f"{base}/api/meetings/{meetings[1]['id']}/agreements", timeout=30))
        if a["carried_from_id"]
    ]
    assert [a["what"] for a in carried] == [call]

    # The start page tells the course: its five meetings, numbered, each one held.
    page.get_by_role("button", name="Tilbage til møderne").click()
    for number in range(1, 6):
        expect(walk.meeting_button(number)).to_contain_text("Holdt ")

    # The parents read the reports: what was agreed last time and how it went, and where
    # everyone put things on the scale, meeting by meeting.
    with walk.mothers_phone() as mobile:
        mobile.get_by_role("link", name=re.compile("Afslutningsmøde")).click()
        rows = mobile.locator("table.scaling tbody tr")
        expect(mobile.locator("svg[role=img] polyline")).to_have_count(3)
        expect(rows.filter(has_text=mother).locator("td")).to_have_text(
            [str(v) for v in MOTHER_ANSWERS]
        )
        expect(rows.filter(has_text=child).locator("td")).to_have_text(
            [str(v) for v in CHILD_ANSWERS]
        )
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        houses = mobile.locator("#houses")
        expect(houses).to_contain_text("Drømmehuset")
        expect(houses).to_contain_text(shared_house)
        mobile.go_back()
        mobile.get_by_role("link", name=re.compile("Opfølgningsmøde")).last.click()
        review = mobile.locator("#review")
        expect(review.locator("li", has_text=promise)).to_contain_text("Udført")
        expect(review.locator("li", has_text=call)).to_contain_text("Fortsætter")
