"""A whole course of five meetings as one story (issue 12), in Chromium: offline at the table,
online between meetings. Each meeting starts from the last — participants carried over,
the last meeting's agreements reviewed (one carried on), the last board's "Det vi vil se
ske" at the top — everyone answers the scaling question and the chart grows; finishing a
meeting before its date is asked about first; the fourth makes the fifth the closing
meeting, which is finished and closes the course; a parent's comment written on the phone
is read on the tablet, and the parents' report shows the review and the chart.

The walk is a ``Walk`` with one method per thing done at the table, so steps can be added
where they happen in the story (moving a note between columns, an undo, a deleted photo).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import api_session, sign_in, wait_until_installed
from tests.browser.report_world import invitation_link, ok
from tests.browser.test_offline_meeting import synced

DAYS_BETWEEN = 28  # meetings four weeks apart: 2-5 lie in the future when finished today


@dataclass
class Walk:
    """One family-unit worker's tablet, the mother's phone, and the course they share."""

    browser: Browser
    context: BrowserContext
    page: Page
    base: str
    child: str
    mother: str  # the mother's name
    mother_email: str
    course_id: str
    start: datetime  # the start meeting's time (local, naive: as the tablet's inputs take it)
    api: requests.Session
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:5])
    number: int = 1  # the meeting open on the tablet

    # -- the course, the tablet, the network ------------------------------------------
    @classmethod
    def begin(cls, browser: Browser, context: BrowserContext, page: Page, base: str) -> Walk:
        """A new child at Solsikken with two custody holders and a course whose start
        meeting is in ten minutes (made over the API, as "Nyt trivselsforløb" does)."""
        tag = uuid.uuid4().hex[:5]
        child, mother = f"Alma{tag}", f"Maria Holm{tag}"
        api = api_session(base, "familie@example.org")
        me = ok(api.get(f"{base}/api/auth/me", timeout=30))["user"]
        solsikken = next(i for i in ok(api.get(f"{base}/api/institutions", timeout=30))
                         if i["name"] == "Solsikken")
        made = ok(api.post(f"{base}/api/children", json={
            "first_name": child, "last_name": "Holm", "institution_id": solsikken["id"]},
            timeout=30))
        email = f"maria.{tag}@example.net"
        for name, relation, address in ((mother, "mor", email),
                                        (f"Mads Holm{tag}", "far", f"mads.{tag}@example.net")):
            ok(api.post(f"{base}/api/guardians", json={
                "child_id": made["id"], "name": name, "relation": relation, "email": address,
                "has_custody": True}, timeout=30))
        course = ok(api.post(f"{base}/api/courses", json={
            "child_id": made["id"], "leader_id": me["id"], "concern_level": "vulnerable",
            "reason": "Alma er stille", "start_date": datetime.now(UTC).date().isoformat()},
            timeout=30))
        start = (datetime.now() + timedelta(minutes=10)).replace(second=0, microsecond=0)
        ok(api.post(f"{base}/api/meetings", json={
            "course_id": course["id"], "kind": "start", "place": "Solsikken",
            "starts_at": start.astimezone().isoformat()}, timeout=30))
        page.goto(base)
        sign_in(page, "familie@example.org")
        synced(page)
        wait_until_installed(page)
        return cls(browser, context, page, base, child, mother, email, course["id"], start, api,
                   tag)

    @contextmanager
    def at_the_table(self) -> Iterator[None]:
        """No network while the meeting is held; everything is sent afterwards."""
        self.context.set_offline(True)
        try:
            yield
        finally:
            self.context.set_offline(False)
        self.page.get_by_role("button", name="Send nu").click()
        synced(self.page)

    def open_meeting(self, number: int, kind: str) -> None:
        back = self.page.get_by_role("button", name="Tilbage til møderne")
        if back.count():
            back.click()
        self.page.get_by_role("button", name=re.compile(
            f"{self.child} .*møde {number} af 5")).click()
        expect(self.page.get_by_role("heading", name=kind, exact=True)).to_be_visible()
        self.number = number

    def planned(self, number: int) -> datetime:
        return self.start + timedelta(days=DAYS_BETWEEN * (number - 1))

    # -- at the table ------------------------------------------------------------------
    def add_person(self, name: str, role: str) -> None:
        self.page.get_by_label("Navn", exact=True).fill(name)
        self.page.get_by_label("Rolle", exact=True).select_option(label=role)
        self.page.get_by_role("button", name="Tilføj deltager").click()
        expect(self.present(name)).to_be_checked()

    def present(self, name: str) -> Any:
        return self.page.get_by_role("checkbox", name=re.compile(re.escape(name)))

    def note(self, column: str, text: str) -> None:
        field_ = self.page.get_by_label(f"Ny note i «{column}»")
        field_.fill(text)
        field_.press("Enter")
        expect(self.page.get_by_text(text, exact=True)).to_be_visible()

    def agreement(self, what: str, owner: str) -> None:
        self.page.get_by_label("Hvad", exact=True).fill(what)
        self.page.get_by_label("Hvem", exact=True).select_option(label=owner)
        self.page.get_by_role("button", name="Tilføj aftale").click()
        expect(self.page.locator(".agreements").get_by_text(what)).to_be_visible()

    def review(self, what: str, outcome: str) -> None:
        group = self.page.get_by_role("group", name=re.compile(re.escape(what)))
        group.get_by_label(outcome, exact=True).check()
        expect(group.get_by_label(outcome, exact=True)).to_be_checked()

    def scale(self, who: str, value: int) -> None:
        answer = self.page.get_by_label(f"Svar fra {who}")
        answer.select_option(str(value))
        expect(answer).to_have_value(str(value))

    def chart_row(self, who: str) -> Any:
        return self.page.locator(".scaling-table tr", has_text=who)

    def finish(self, next_in_days: int | None = DAYS_BETWEEN, early: bool = True) -> None:
        """Participation, the next date (if any), "Afslut mødet"; a meeting dated in the
        future is asked about first, and the question answered."""
        self.page.get_by_label("Hele mødet").click()
        expect(self.page.get_by_label("Hele mødet")).to_be_checked()
        if next_in_days is not None:
            at = self.planned(self.number) + timedelta(days=next_in_days)
            self.page.get_by_label("Næste møde", exact=True).fill(at.strftime("%Y-%m-%dT%H:%M"))
        self.page.get_by_role("button", name="Afslut mødet").click()
        if early:
            question = self.page.get_by_role("alert").filter(has_text="Er det holdt allerede?")
            expect(question).to_contain_text("om ")
            expect(question).to_contain_text("står der i rapporten, at mødet blev afsluttet")
            question.get_by_role("button", name="Ja, afslut mødet nu").click()
        expect(self.page.get_by_text("Mødet er afsluttet.")).to_be_visible()
        expect(self.page.get_by_text(re.compile("Mødet blev afsluttet .*kl"))).to_be_visible()

    # -- between meetings --------------------------------------------------------------
    def publish(self) -> None:
        self.page.get_by_role("button", name="Udgiv rapporten til forældrene").click()
        expect(self.page.get_by_text(re.compile("^Udgivet "))).to_be_visible(timeout=30_000)

    @contextmanager
    def mothers_phone(self) -> Iterator[Page]:
        """The mother opens her newest link on her phone."""
        phone = self.browser.new_context(viewport={"width": 390, "height": 844},
                                         is_mobile=True, has_touch=True, locale="da-DK")
        phone.set_default_timeout(15_000)
        try:
            mobile = phone.new_page()
            mobile.goto(self.base + urlsplit(invitation_link(self.base, self.mother_email)).path)
            mobile.get_by_role("button", name="Åbn på denne telefon").click()
            heading = mobile.get_by_role("heading", name="Rapporter fra trivselsmøder")
            expect(heading).to_be_visible()
            yield mobile
        finally:
            phone.close()


def test_a_course_of_five_meetings_told_as_one_story(
        browser: Browser, context: BrowserContext, page: Page, live_server: str) -> None:
    walk = Walk.begin(browser, context, page, live_server)
    child, mother, tag = walk.child, walk.mother, walk.tag
    wish, promise, call = f"Alma leger med en ven {tag}", f"Fast voksen om morgenen {tag}", \
        f"Mor ringer til PPR {tag}"

    # Meeting 1, the start meeting: at the table, offline from the start (the app from cache).
    walk.context.set_offline(True)
    walk.page.reload()
    walk.context.set_offline(False)
    walk.open_meeting(1, "Opstartsmøde")
    with walk.at_the_table():
        walk.add_person(mother, "Forælder")
        walk.add_person("Peter Pædagog", "Pædagog/lærer")
        walk.note("Det vi vil se ske", wish)
        walk.agreement(promise, "Dagtilbud/skole")
        walk.agreement(call, "Forældrene")
        expect(page.get_by_text(re.compile("På en skala fra 0 til 10, hvor 10 betyder, at "
                                           f"{child} trives"))).to_be_visible()
        walk.scale(mother, 3)
        walk.scale(f"{child} (barnets svar)", 2)
        walk.scale("Peter Pædagog", 4)
        walk.finish(early=False)  # on its own day: no question
    walk.publish()
    # The mother writes her own words on the report, from her phone.
    comment = f"Vi er glade for aftalen om en fast voksen {tag}"
    with walk.mothers_phone() as mobile:
        mobile.get_by_role("link", name=re.compile("Opstartsmøde")).click()
        mobile.get_by_label("Jeres bemærkning").fill(comment)
        mobile.get_by_role("button", name="Send bemærkningen").click()
        expect(mobile.get_by_text("Tak. Jeres bemærkning er sendt.")).to_be_visible()
    walk.page.get_by_role("button", name="Send nu").click()
    comments = page.get_by_role("region", name="Forældrenes bemærkninger")
    expect(comments).to_contain_text(comment, timeout=30_000)
    expect(comments).to_contain_text("mor")

    # Meeting 2: it starts from the last one, offline.
    walk.open_meeting(2, "Opfølgningsmøde")
    with walk.at_the_table():
        since = page.get_by_role("region", name="Siden sidst: aftalerne fra sidste møde")
        expect(since).to_contain_text(wish)  # the last board's "Det vi vil se ske", on top
        expect(page.get_by_text(re.compile("2 deltagere fra sidste møde er sat på listen"))
               ).to_be_visible()
        expect(walk.present(mother)).not_to_be_checked()  # carried over, presence unticked
        walk.present(mother).check()
        walk.review(promise, "Udført")
        walk.review(call, "Fortsætter")  # carried on: a new agreement of this meeting
        expect(page.locator(".agreements").get_by_text(call)).to_be_visible()
        walk.scale(mother, 5)
        walk.scale(f"{child} (barnets svar)", 4)
        expect(walk.chart_row(mother)).to_contain_text("3")
        expect(walk.chart_row(mother)).to_contain_text("5")
        walk.finish()  # dated four weeks ahead: asked about first
    walk.publish()

    # Meetings 3 and 4, each from the last: the carried agreement is reviewed again.
    walk.open_meeting(3, "Opfølgningsmøde")
    with walk.at_the_table():
        walk.review(call, "Udført")
        walk.scale(mother, 6)
        walk.finish()
    walk.open_meeting(4, "Opfølgningsmøde")
    with walk.at_the_table():
        closing = page.get_by_label("Næste møde er afslutningsmødet")
        expect(closing).to_be_checked()  # the fifth meeting is always the closing one
        expect(closing).to_be_disabled()
        expect(page.get_by_text("Næste møde bliver møde 5 af 5")).to_be_visible()
        walk.scale(mother, 8)
        walk.finish()

    # Meeting 5, the closing meeting: finished, and the course is closed.
    walk.open_meeting(5, "Afslutningsmøde")
    with walk.at_the_table():
        expect(page.get_by_text("Dette er afslutningsmødet.")).to_be_visible()
        walk.scale(mother, 9)
        expect(walk.chart_row(mother)).to_contain_text("9")
        walk.finish(next_in_days=None)
    expect(page.get_by_text("Forløbet er afsluttet")).to_be_visible(timeout=30_000)

    # The server holds the same story.
    api, base = walk.api, live_server
    assert ok(api.get(f"{base}/api/courses/{walk.course_id}", timeout=30))["status"] == "closed"
    meetings = sorted(ok(api.get(f"{base}/api/courses/{walk.course_id}/meetings", timeout=30)),
                      key=lambda m: m["starts_at"])
    assert [m["kind"] for m in meetings] == ["start", "follow_up", "follow_up", "follow_up",
                                             "closing"]
    assert all(m["status"] == "finished" and m["held_at"] for m in meetings)
    people = ok(api.get(f"{base}/api/meetings/{meetings[4]['id']}/participants", timeout=30))
    assert sorted(p["name"] for p in people) == sorted([mother, "Peter Pædagog"])
    carried = [a for a in ok(api.get(f"{base}/api/meetings/{meetings[1]['id']}/agreements",
                                     timeout=30)) if a["carried_from_id"]]
    assert [a["what"] for a in carried] == [call]

    # The parents read meeting 2's report: what was agreed last time and how it went, and
    # where everyone put things on the scale, meeting by meeting.
    with walk.mothers_phone() as mobile:
        mobile.get_by_role("link", name=re.compile("Opfølgningsmøde")).first.click()
        review = mobile.locator("#review")
        expect(review).to_contain_text(promise)
        expect(review).to_contain_text("Udført")
        expect(review).to_contain_text("Fortsætter")
        expect(mobile.locator("svg[role=img] polyline")).to_have_count(3)
        expect(mobile.locator("table.scaling tr", has_text=mother)).to_contain_text("5")
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
