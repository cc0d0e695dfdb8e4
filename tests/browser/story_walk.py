"""The walk through a whole course (tests/browser/test_course_story.py): one family-unit
worker's iPad, the mother's phone, and the course they share, with one method per thing done
at the table or between meetings, each waiting for what a user would see."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from tests.browser.live import LIVE_ENV, api_session
from tests.browser.report_world import invitation_link, ok
from tests.browser.steps import photo_kept, sign_in, stored, synced, wait_until_installed
from tests.browser.tablet import Finger, centre, column, note
from tests.harness.children import new_child
from tests.sync.images import photo

DAYS_BETWEEN = 28  # meetings four weeks apart: 2-5 lie in the future when finished today
UNDO = ".undo-bar"
COLUMNS = {
    "Det der bekymrer": "worries",
    "Det der fungerer": "working",
    "Det vi vil se ske": "next_steps",
}


# Records every time a script un-checks a radio or checkbox that was checked (the browser's
# own un-checking of a group's other radios does not go through this setter).
RECORD_UNCHECKS = """() => {
  if (window.__unchecked) return;
  window.__unchecked = [];
  const own = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'checked');
  Object.defineProperty(HTMLInputElement.prototype, 'checked', {
    configurable: true,
    get() { return own.get.call(this); },
    set(value) {
      if (!value && (this.type === 'radio' || this.type === 'checkbox') && own.get.call(this)) {
        window.__unchecked.push(this.name + '=' + this.value);
      }
      own.set.call(this, value);
    },
  });
}"""


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
    uploads: list[str] = field(default_factory=list)  # URLs of the tablet's photo uploads

    # -- the course, the tablet, the network ------------------------------------------
    @classmethod
    def begin(cls, browser: Browser, context: BrowserContext, base: str) -> Walk:
        """A new child at Solsikken with two custody holders and a course whose start
        meeting is now (made over the API, as "Nyt trivselsforløb" does)."""
        tag = uuid.uuid4().hex[:5]
        child, mother = f"Alma{tag}", f"Maria Holm{tag}"
        api = api_session(base, "familie@example.org")
        me = ok(api.get(f"{base}/api/auth/me", timeout=30))["user"]
        solsikken = next(
            i
            for i in ok(api.get(f"{base}/api/institutions", timeout=30))
            if i["name"] == "Solsikken"
        )
        made = ok(
            api.post(
                f"{base}/api/children",
                json=new_child(child, "Holm", solsikken["id"]),
                timeout=30,
            )
        )
        email = f"maria.{tag}@example.net"
        for name, relation, address in (
            (mother, "mor", email),
            (f"Mads Holm{tag}", "far", f"mads.{tag}@example.net"),
        ):
            ok(
                api.post(
                    f"{base}/api/guardians",
                    json={
                        "child_id": made["id"],
                        "name": name,
                        "relation": relation,
                        "email": address,
                        "has_custody": True,
                    },
                    timeout=30,
                )
            )
        course = ok(
            api.post(
                f"{base}/api/courses",
                json={
                    "child_id": made["id"],
                    "leader_id": me["id"],
                    "concern_level": "vulnerable",
                    "reason": "Alma er stille",
                    "start_date": datetime.now(UTC).date().isoformat(),
                },
                timeout=30,
            )
        )
        # Now (to the minute): finished on its own day, whenever the test runs, even at 23.59.
        start = datetime.now().replace(second=0, microsecond=0)
        ok(
            api.post(
                f"{base}/api/meetings",
                json={
                    "course_id": course["id"],
                    "kind": "start",
                    "place": "Solsikken",
                    "starts_at": start.astimezone().isoformat(),
                },
                timeout=30,
            )
        )
        page = context.new_page()
        walk = cls(
            browser, context, page, base, child, mother, email, course["id"], start, api, tag
        )
        page.on("request", walk._watch_uploads)
        page.goto(base)
        sign_in(page, "familie@example.org")
        synced(page)
        wait_until_installed(page)
        return walk

    def _watch_uploads(self, request: Request) -> None:
        if request.method == "PUT" and "/api/blobs/" in request.url:
            self.uploads.append(request.url)

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

    def meeting_button(self, number: int) -> Any:
        return self.page.get_by_role(
            "button", name=re.compile(f"{self.child} .*møde {number} af 5")
        )

    def open_meeting(self, number: int, kind: str) -> None:
        back = self.page.get_by_role("button", name="Tilbage til møderne")
        if back.count():
            back.click()
        self.meeting_button(number).click()
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

    def note(self, column_title: str, text: str) -> None:
        field_ = self.page.get_by_label(f"Ny note i «{column_title}»")
        field_.fill(text)
        field_.press("Enter")
        expect(self.column(column_title).get_by_text(text, exact=True)).to_be_visible()

    def column(self, title: str) -> Any:
        return column(self.page, COLUMNS[title])

    def notes_in(self, title: str) -> Any:
        return self.column(title).locator(".note-text")

    def move_with_button(self, text: str, to: str) -> None:
        """'Flyt til …' on the card, then the column: for those who cannot drag."""
        note(self.page, text).get_by_role("button", name="Flyt til …").click()
        self.page.get_by_role("dialog", name="Flyt noten").get_by_role(
            "button", name=f"Til «{to}»"
        ).click()
        expect(self.column(to).get_by_text(text, exact=True)).to_be_visible()
        expect(self.page.locator(UNDO)).to_contain_text(f"Noten er flyttet til «{to}»")

    def drag(self, text: str, to: str) -> None:
        """A finger on the card's handle, dropped in the other column."""
        handle = note(self.page, text).locator(".drag-handle")
        # Mid-screen, away from the edges where a held drag scrolls the page under the finger.
        handle.evaluate("e => e.scrollIntoView({block: 'center'})")
        Finger(self.page).drag(centre(handle), centre(self.column(to)))
        expect(self.column(to).get_by_text(text, exact=True)).to_be_visible()
        expect(self.page.locator(UNDO)).to_contain_text(f"Noten er flyttet til «{to}»")

    def delete_and_undo(self, text: str) -> None:
        """A note deleted by mistake comes back with one tap on "Fortryd"."""
        note(self.page, text).get_by_role("button", name="Slet").click()
        expect(note(self.page, text)).to_have_count(0)
        expect(self.page.locator(UNDO)).to_contain_text("Noten er slettet")
        self.page.locator(UNDO).get_by_role("button", name="Fortryd").click()
        expect(note(self.page, text)).to_be_visible()
        expect(self.page.locator(UNDO)).to_contain_text("Noten er tilbage")

    def take_photo(self, path: Path, seed: int) -> str:
        """A board photo taken with the tablet's camera; its hash as stored on the tablet."""
        before = {b["hash"] for b in stored(self.page)}
        path.write_bytes(photo(size=(1600, 1200), seed=seed))
        self.page.get_by_label("Tag billede af tavlen").set_input_files(path)
        photo_kept(self.page, len(before) + 1)
        [new] = [b["hash"] for b in stored(self.page) if b["hash"] not in before]
        return str(new)

    def photos_shown(self) -> Any:
        return self.page.get_by_role("img", name="Billede af tavlen")

    def delete_photo(self, number: int) -> None:
        self.page.get_by_role("button", name=f"Slet billede {number}").click()
        expect(self.page.locator(UNDO)).to_contain_text("Billedet er slettet")

    def agreement(self, what: str, owner: str) -> None:
        self.page.get_by_label("Hvad", exact=True).fill(what)
        self.page.get_by_label("Hvem", exact=True).select_option(label=owner)
        self.page.get_by_role("button", name="Tilføj aftale").click()
        expect(self.page.locator(".agreements").get_by_text(what)).to_be_visible()

    def review(self, what: str, outcome: str) -> None:
        """Choose an outcome, and prove the choice never flickered back: the app once set
        the radio back while its write was on the way (a render before the stored outcome
        arrived), which a quick look, or Playwright's, found unchosen on a loaded machine.
        Every un-check of a radio is recorded, however short."""
        self.page.evaluate(RECORD_UNCHECKS)
        group = self.page.get_by_role("group", name=re.compile(re.escape(what)))
        group.get_by_label(outcome, exact=True).check()
        expect(group.get_by_label(outcome, exact=True)).to_be_checked()
        expect(group).not_to_contain_text("ikke gennemgået", ignore_case=True)
        unchecked = self.page.evaluate("window.__unchecked")
        assert unchecked == [], unchecked

    def scale(self, who: str, value: int) -> None:
        answer = self.page.get_by_label(f"Svar fra {who}")
        answer.select_option(str(value))
        expect(answer).to_have_value(str(value))

    def house(self, name: str, text: str) -> None:
        """The child's words in one of the three houses, saved when the field is left."""
        field = self.page.get_by_label(name, exact=True)
        field.fill(text)
        field.blur()
        expect(field).to_have_value(text)

    def chart_row(self, who: str) -> Any:
        """The answers of one person across the course, in the table under the chart."""
        return self.page.locator(".scaling-table tbody tr", has_text=who).locator("td")

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
        dialog = self.page.get_by_role("dialog", name="Udgiv rapporten til forældrene?")
        expect(dialog).to_contain_text(self.mother_email)
        dialog.get_by_role("button", name="Udgiv og send").click()
        expect(
            self.page.get_by_text(re.compile("^Udgivet .* af Frida Familieindgang"))
        ).to_be_visible(timeout=30_000)

    def server_notes(self, meeting_id: str) -> dict[str, str]:
        """The meeting's live notes on the server: text → column."""
        notes = ok(self.api.get(f"{self.base}/api/meetings/{meeting_id}/notes", timeout=30))
        return {n["text"]: n["column"] for n in notes}

    def server_photos(self, meeting_id: str) -> list[str]:
        photos = ok(self.api.get(f"{self.base}/api/meetings/{meeting_id}/photos", timeout=30))
        return [p["content_hash"] for p in photos]

    def meetings_on_server(self) -> list[dict[str, Any]]:
        meetings = ok(
            self.api.get(f"{self.base}/api/courses/{self.course_id}/meetings", timeout=30)
        )
        return sorted(meetings, key=lambda m: m["starts_at"])

    @staticmethod
    def bytes_on_server(digest: str) -> list[Path]:
        """Whatever the live server's photo store holds under a photo's hash (the photo
        and its copies), read where the operator would look."""
        return sorted(Path(LIVE_ENV["BLOB_DIR"]).rglob(f"{digest}*"))

    @contextmanager
    def mothers_phone(self) -> Iterator[Page]:
        """The mother opens her newest link on her phone."""
        phone = self.browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
        )
        phone.set_default_timeout(15_000)
        try:
            mobile = phone.new_page()
            mobile.goto(self.base + urlsplit(invitation_link(self.base, self.mother_email)).path)
            mobile.get_by_role("button", name="Åbn på denne telefon").click()
            # The link leads to the report its message was about; the list is one step away.
            expect(mobile.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
            mobile.goto(self.base + "/p/")
            heading = mobile.get_by_role("heading", name="Rapporter fra trivselsmøder")
            expect(heading).to_be_visible()
            yield mobile
        finally:
            phone.close()
