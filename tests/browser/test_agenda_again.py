"""An agenda letter sent a second time is asked about first, with when the last one went
(issue 23 part 4): parents do not get the same letter twice by a second tap."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.browser.tablet import course_on_tablet


def test_sending_the_agenda_again_asks_first_and_says_when(
    watched_page: Page, live_server: str
) -> None:
    page = watched_page  # no service worker: every request is seen here
    sends: list[str] = []
    page.on(
        "request",
        lambda r: sends.append(r.url) if r.method == "POST" and "/agenda/send" in r.url else None,
    )
    course_on_tablet(page, live_server, f"Dagsorden{uuid.uuid4().hex[:5]}")
    send = page.get_by_role("button", name="Send dagsordenen til forældrene")
    send.click()
    expect(page.get_by_text(re.compile(r"Dagsordenen er sendt til \d+ forældre"))).to_be_visible()
    assert len(sends) == 1

    page.reload()  # remembered on the device, not only on the screen
    send.click()
    dialog = page.get_by_role("dialog", name="Send dagsordenen igen?")
    expect(dialog).to_contain_text(re.compile(r"blev sendt til forældrene .*kl\. \d"))
    dialog.get_by_role("button", name="Annullér").click()
    expect(dialog).to_be_hidden()
    assert len(sends) == 1  # nothing went

    send.click()
    dialog.get_by_role("button", name="Send igen").click()
    expect(page.get_by_text(re.compile(r"Dagsordenen er sendt til \d+ forældre"))).to_be_visible()
    assert len(sends) == 2
