"""Danish throughout (issue 12): every rendered screen, on the tablet and on the parents'
phone, writes dates in one long and one short form, times with "kl.", and counts of one in
the singular; tasks say which meeting they come from."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from tests.browser.report_world import fill_and_publish, invitation_link, new_course, ok
from tests.browser.steps import sign_in, synced
from tests.language import dates_in, language_problems


def screen_text(page: Page) -> str:
    return str(page.evaluate("document.body.innerText"))


def assert_danish(page: Page, where: str) -> str:
    text = screen_text(page)
    assert language_problems(text) == [], f"{where}: {language_problems(text)}\n{text}"
    return text


def test_every_screen_writes_dates_and_counts_one_way(browser: Browser, live_server: str) -> None:
    name = f"Sprog{uuid.uuid4().hex[:5]}"
    world = new_course(live_server, name)
    api, meeting = world["api"], world["meeting"]
    ok(
        api.post(
            f"{live_server}/api/participants",
            json={
                "meeting_id": meeting["id"],
                "name": "Maria Testesen",
                "role": "guardian",
                "present": True,
            },
            timeout=30,
        )
    )
    fill_and_publish(live_server, world, "sprog")  # one photo, one note per column, one agreement
    tablet = browser.new_context(
        viewport={"width": 1180, "height": 820}, has_touch=True, locale="da-DK"
    )
    try:
        page = tablet.new_page()
        page.goto(live_server)
        sign_in(page, "familie@example.org")
        synced(page)
        start = assert_danish(page, "start page")
        tasks = page.get_by_role("region", name="Mine opgaver").locator("li", has_text=name)
        from_meeting = re.compile(r"Fra møde 1 \(opstartsmøde\) \d+\. \w+ \d{4}")
        expect(tasks.first).to_contain_text(from_meeting)
        assert dates_in(start)
        page.get_by_role("button", name=re.compile(f"{name} Opstartsmøde")).click()
        expect(page.get_by_role("heading", name="Rapport til forældrene")).to_be_visible()
        expect(page.get_by_text(re.compile("Udgivet .* af Frida"))).to_be_visible()
        text = assert_danish(page, "meeting")
        for one in (
            "1 billede af tavlen",
            "1 note i «Det der bekymrer»",
            "1 aftale",
            "1 deltager til stede",
        ):
            assert one in text, one
        assert "senest 15. januar 2030" in text  # the agreement's deadline, in the long form
        assert re.search(r"Udgivet \d+\. \w+\. kl\. \d{1,2}\.\d\d af", text), text
    finally:
        tablet.close()
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    try:
        mobile = phone.new_page()
        link = urlsplit(invitation_link(live_server, f"maria.{name.lower()}@example.net"))
        mobile.goto(f"{live_server}{link.path}")
        mobile.get_by_role("button", name="Åbn på denne telefon").click()
        expect(mobile.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
        mobile.goto(f"{live_server}/p/")
        expect(mobile.get_by_role("heading", name="Rapporter fra trivselsmøder")).to_be_visible()
        assert dates_in(assert_danish(mobile, "parents' list of reports"))
        mobile.goto(f"{live_server}/p/reports/{meeting['id']}")
        report = assert_danish(mobile, "parents' report")
        assert len(dates_in(report)) >= 3, report  # held, shared, the next meeting, the deadline
        mobile.goto(f"{live_server}/p/access")
        assert_danish(mobile, "parents' access log")
    finally:
        phone.close()
