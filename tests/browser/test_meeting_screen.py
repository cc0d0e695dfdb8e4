"""The meeting screen on an iPad says what goes to the parents, and who is at the table
(issue 23 part 5): the header and jump links, attendance filled in from the course and
ticked offline, a missing consent above the board, tick boxes that only their box ticks,
"Forældrene ser dette" on exactly the report's parts, the publish dialog's list, and the
notice after a change to a published meeting; the new-course form's own refusals."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.report_world import ok
from tests.browser.steps import due_of, eventually, sign_in, synced
from tests.browser.tablet import PORTRAIT, course_on_tablet, ipad

MARK = "Forældrene ser dette"


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return dict(found)


def people_on_server(base: str, world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    api = world["api"]
    rows = ok(api.get(f"{base}/api/meetings/{world['meeting']['id']}/participants", timeout=30))
    return {p["name"]: p for p in rows}


def section(page: Page, heading: str) -> Any:
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def test_header_jump_links_attendance_consent_and_tick_targets(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"Ida{tag}"
    with ipad(browser, PORTRAIT) as ctx:
        page = ctx.new_page()
        world = course_on_tablet(page, live_server, name)
        # The header: the child, the day, the place, which meeting of the course.
        header = page.locator("header.meeting-header")
        expect(header.get_by_role("heading", level=2)).to_have_text("Opstartsmøde")
        expect(header.locator(".meeting-child")).to_have_text(f"{name} Testesen")
        starts = datetime.fromisoformat(world["meeting"]["starts_at"]).astimezone()
        expect(header).to_contain_text(f"{starts.day}. ")
        expect(header).to_contain_text(str(starts.year))
        expect(header).to_contain_text("Sted: Solsikken")
        expect(header).to_contain_text("Møde 1 af 5")
        # Jump links: each names a part that is on the page, reached from the keyboard.
        nav = page.get_by_role("navigation", name="Mødets dele")
        links = nav.get_by_role("link")
        assert links.count() >= 6
        for i in range(links.count()):
            href = links.nth(i).get_attribute("href")
            assert href and href.startswith("#"), href
            expect(page.locator(href)).to_have_count(1)
        agreements_link = nav.get_by_role("link", name="Aftaler")
        agreements_link.focus()
        expect(agreements_link).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Aftaler", exact=True)).to_be_in_viewport()
        assert page.evaluate("location.hash") == "#agreements-heading"
        page.evaluate("window.scrollTo(0, 0)")
        # A missing consent: said at the top, with what it blocks, before the board.
        consent = page.locator(".consent-block")
        for guardian in ("Maria Testesen (mor)", "Mads Testesen (far)"):
            expect(consent.locator("p").first).to_contain_text(guardian)
        expect(consent).to_contain_text("må I ikke dele oplysninger om barnet")
        board = page.get_by_role("heading", name="Tavlen", exact=True)
        assert box(consent)["y"] + box(consent)["height"] <= box(board)["y"]
        # Attendance from the course: custody holders, the leader, the educator; nobody ticked.
        attendance = section(page, "Fremmøde")
        expected = {
            "Maria Testesen": "Forælder",
            "Mads Testesen": "Forælder",
            "Frida Familieindgang": "Familieindgangen",
        }
        for person, role in expected.items():
            expect(attendance.get_by_text(f"{person} ({role})")).to_be_visible()
        educators = attendance.get_by_text(re.compile(r"\(Pædagog/lærer\)"))
        assert educators.count() >= 1
        boxes = attendance.get_by_role("checkbox")
        assert boxes.count() == len(expected) + educators.count()
        for i in range(boxes.count()):
            expect(boxes.nth(i)).not_to_be_checked()
        # Tapping a person's name never ticks; the box's own label does, and it is 44 px.
        mother = attendance.get_by_role("checkbox", name=re.compile("Maria Testesen"))
        attendance.get_by_text("Maria Testesen (Forælder)").tap()
        expect(mother).not_to_be_checked()
        label = attendance.locator("li", has_text="Maria Testesen").locator("label.tick")
        expect(label).to_have_text("Til stede")
        assert box(label)["width"] >= 44 and box(label)["height"] >= 44
        # The leader ticks who came, offline; it reaches the server when back.
        ctx.set_offline(True)
        label.tap()
        expect(mother).to_be_checked()
        ctx.set_offline(False)
        page.get_by_role("button", name="Send nu").click()
        synced(page)
        eventually(lambda: people_on_server(live_server, world)["Maria Testesen"]["present"])
        assert not people_on_server(live_server, world)["Mads Testesen"]["present"]
        # An agreement: its text does not tick it, its box does.
        page.get_by_label("Hvad", exact=True).fill(f"Mor ringer til PPR {tag}")
        page.get_by_role("button", name="Tilføj aftale").click()
        item = page.locator(".agreement", has_text=f"Mor ringer til PPR {tag}")
        done = item.get_by_role("checkbox")
        item.get_by_text(f"Mor ringer til PPR {tag}").tap()
        expect(done).not_to_be_checked()
        tick = item.locator("label.tick")
        expect(tick).to_have_text("Udført")
        assert box(tick)["width"] >= 44 and box(tick)["height"] >= 44
        tick.tap()
        expect(done).to_be_checked()


def test_what_parents_see_is_marked_listed_and_a_later_change_said(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"Alma{tag}"
    with ipad(browser, PORTRAIT) as ctx:
        page = ctx.new_page()
        world = course_on_tablet(page, live_server, name)
        api, meeting_id = world["api"], world["meeting"]["id"]
        # Marked: every part a publish shows (domain/reportParts.ts), and nothing else.
        for heading in ("Fremmøde", "Tavlen", "Billeder af tavlen", "Aftaler"):
            expect(section(page, heading).locator(".parents-see").first).to_have_text(MARK)
        expect(page.locator("header.meeting-header .parents-see")).to_have_text(MARK)
        finishing = page.locator("section", has=page.get_by_role("heading", name="Afslutning"))
        expect(finishing.locator(".parents-see")).to_have_count(3)  # participation, minutes, next
        for heading in ("Dagsorden", "Dokumenter"):
            part = section(page, heading)
            if part.count():
                expect(part.get_by_text(MARK)).to_have_count(0)
        page.get_by_label("Ny note i «Det der bekymrer»").fill(f"Trist om morgenen {tag}")
        page.get_by_label("Ny note i «Det der bekymrer»").press("Enter")
        page.get_by_label("Hvad", exact=True).fill(f"Fast voksen {tag}")
        page.get_by_role("button", name="Tilføj aftale").click()
        synced(page)
        ok(
            api.patch(
                f"{live_server}/api/meetings/{meeting_id}",
                json={
                    "status": "finished",
                    "child_participation": "whole",
                    "next_meeting_at": (datetime.now(UTC) + timedelta(days=20)).isoformat(),
                },
                timeout=30,
            )
        )
        page.get_by_role("button", name="Send nu").click()
        synced(page)
        page.get_by_role("button", name="Udgiv rapporten til forældrene").click()
        dialog = page.get_by_role("dialog", name="Udgiv rapporten til forældrene?")
        expect(dialog.locator(".report-contents li").first).to_be_visible()
        listed = [t.strip() for t in dialog.locator(".report-contents li").all_inner_texts()]
        dialog.get_by_role("button", name="Udgiv og send").click()
        expect(page.get_by_text(re.compile("Udgivet .* af Frida"))).to_be_visible(timeout=20_000)
        # The list is what was sent: the published snapshot, part by part.
        (report,) = ok(api.get(f"{live_server}/api/meetings/{meeting_id}/reports", timeout=30))
        snapshot = ok(api.get(f"{live_server}/api/reports/{report['id']}/snapshot", timeout=30))[
            "report"
        ]
        assert listed[0].startswith(f"Overskrift: {name} Testesen, opstartsmøde")
        present = sum(1 for p in snapshot["participants"] if p["present"])
        assert f"{present} deltager{'e' if present != 1 else ''} til stede" in listed
        assert "1 note i «Det der bekymrer»" in listed
        assert len(snapshot["columns"]["worries"]) == 1
        assert "1 aftale" in listed and len(snapshot["agreements"]) == 1
        assert "0 billeder af tavlen" in listed and snapshot["photos"] == []
        assert "Barnets deltagelse: Hele mødet" in listed
        assert "Intet skrevet referat" in listed and snapshot["minutes"] == ""
        assert any(line.startswith("Næste møde: ") for line in listed)
        assert listed[-1] == "Afsender og kontakt: Frida Familieindgang"
        # A change after publishing: the parents still see version 1 until published again.
        notice = page.get_by_text(re.compile("Ændret efter udgivelsen"))
        expect(notice).to_have_count(0)
        minutes = page.get_by_label("Referat (valgfrit)")
        minutes.fill(f"Mor var glad {tag}")
        minutes.blur()
        expect(notice).to_contain_text("forældrene ser stadig udgave 1")
        page.get_by_role("button", name="Udgiv en rettet rapport").click()
        dialog = page.get_by_role("dialog", name="Udgiv den rettede rapport til forældrene?")
        expect(dialog).to_contain_text("Skrevet referat")
        dialog.get_by_role("button", name="Udgiv og send").click()
        expect(page.get_by_text(re.compile("Rettet udgave 2 udgivet"))).to_be_visible(
            timeout=20_000
        )
        expect(notice).to_have_count(0)
        # Published and now filed: the report task closes itself; the start page's tasks are
        # in date order, so the overdue come first.
        ok(api.post(f"{live_server}/api/filings", json={"meeting_id": meeting_id}, timeout=30))
        page.get_by_role("button", name="Send nu").click()
        synced(page)
        page.get_by_role("button", name="Tilbage til møderne").click()
        tasks = page.get_by_role("region", name="Mine opgaver").locator("li")
        mine = tasks.filter(has_text=name)
        expect(mine.filter(has_text="Send dagsorden til næste møde")).to_have_count(1)
        expect(mine.filter(has_text="Udgiv rapporten")).to_have_count(0)
        dues = [due_of(text) for text in tasks.all_inner_texts()]
        dated = [d for d in dues if d is not None]
        assert dated and dated == sorted(dated), dues
        assert dues == dated + [None] * (len(dues) - len(dated))  # the undated last


def test_a_new_course_needs_a_custody_holder_and_a_birth_date(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    with ipad(browser, PORTRAIT) as ctx:
        page = ctx.new_page()
        page.goto(live_server)
        sign_in(page, "familie@example.org")
        synced(page)
        page.get_by_role("button", name="Nyt trivselsforløb").click()
        page.get_by_label("Fornavn").fill(f"Vigga{tag}")
        page.get_by_label("Efternavn").fill("Holm")
        page.get_by_label("Dagtilbud eller skole").select_option(label="Solsikken")
        page.get_by_label("Hvad er bekymringen?").fill("Trist om morgenen")
        start = datetime.now() + timedelta(days=2)
        page.get_by_label("Opstartsmødet: tid").fill(start.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_label("Opstartsmødet: sted").fill("Solsikken")
        # A guardian without custody only: refused by the form, field by field, in Danish.
        guardian = page.locator("fieldset", has_text="Forælder 1")
        guardian.get_by_label("Navn").fill("Per Holm")
        guardian.get_by_label("Har forældremyndighed").uncheck()
        page.locator("fieldset", has_text="Forælder 2").get_by_label(
            "Har forældremyndighed"
        ).uncheck()
        page.get_by_role("button", name="Opret forløbet").click()
        expect(
            page.get_by_role("alert").filter(has_text="Udfyld de markerede felter.")
        ).to_be_visible()
        expect(page.get_by_text("Skriv mindst én forælder med forældremyndighed")).to_be_visible()
        expect(page.get_by_text("Skriv barnets fødselsdato.")).to_be_visible()
        expect(page.get_by_label("Fødselsdato")).to_have_attribute("aria-invalid", "true")
        guardian.get_by_label("Har forældremyndighed").check()
        page.get_by_label("Fødselsdato").fill("2020-05-17")
        page.get_by_role("button", name="Opret forløbet").click()
        expect(page.locator("header.meeting-header", has_text=f"Vigga{tag} Holm")).to_be_visible(
            timeout=30_000
        )
