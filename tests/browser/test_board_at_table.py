"""The board at the table on an iPad (issue 12): a note dragged to another column with a
finger, or moved with "Flyt til …" from the keyboard; undo after a delete, offline and after
the deletion was sent, bringing back nothing else; agreements edited and deleted; consent,
publishing and filing asked for before they happen."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.report_world import ok
from tests.browser.steps import eventually, synced, wait_until, wait_until_installed
from tests.browser.tablet import (
    LANDSCAPE,
    PORTRAIT,
    Finger,
    add_note,
    centre,
    column,
    course_on_tablet,
    ipad,
    note,
)

UNDO = ".undo-bar"


def server_notes(base: str, world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The meeting's live notes on the server, by text (REST lists live records only)."""
    api = world["api"]
    notes = ok(api.get(f"{base}/api/meetings/{world['meeting']['id']}/notes", timeout=30))
    return {n["text"]: n for n in notes}


def texts(page: Page, key: str) -> list[str]:
    return [t.strip() for t in column(page, key).locator(".note-text").all_inner_texts()]


def test_a_note_is_dragged_to_another_column_with_a_finger_offline(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:5]
    with ipad(browser, PORTRAIT) as ctx:
        page = ctx.new_page()
        world = course_on_tablet(page, live_server, f"Drag{tag}")
        wait_until_installed(page)
        add_note(page, "Det der bekymrer", f"Alene i frikvarteret {tag}")
        add_note(page, "Det der fungerer", f"Leger med Ida {tag}")
        add_note(page, "Det der fungerer", f"Spiser frokost {tag}")
        synced(page)
        ctx.set_offline(True)
        # Meanwhile, someone edits the same note's text on another device.
        moved = server_notes(live_server, world)[f"Alene i frikvarteret {tag}"]
        assert (
            world["api"]
            .patch(
                f"{live_server}/api/notes/{moved['id']}",
                json={"text": f"Alene i frikvarteret, ofte {tag}"},
                timeout=30,
            )
            .status_code
            == 200
        )
        handle = note(page, f"Alene i frikvarteret {tag}").locator(".drag-handle")
        handle.scroll_into_view_if_needed()
        scrolled = page.evaluate("scrollY")
        first = note(page, f"Leger med Ida {tag}").bounding_box()
        assert first is not None
        # Drop on the lower half of the first note of the other column: after it.
        start = centre(handle)
        end = (first["x"] + first["width"] / 2, first["y"] + first["height"] * 0.8)
        Finger(page).drag(start, end)
        expect(column(page, "working").locator(".note-text")).to_have_text(
            [f"Leger med Ida {tag}", f"Alene i frikvarteret {tag}", f"Spiser frokost {tag}"]
        )
        assert texts(page, "worries") == []
        # The finger moved the note, not the page (which would have panned as far as it).
        assert abs(page.evaluate("scrollY") - scrolled) < abs(end[1] - start[1]) / 4
        expect(page.locator(UNDO)).to_contain_text("Noten er flyttet til «Det der fungerer»")
        expect(note(page, f"Alene i frikvarteret {tag}")).to_contain_text("Ikke sendt endnu")
        page.reload()  # offline: the move is kept on the tablet
        expect(column(page, "working").locator(".note-text")).to_have_count(3)
        assert texts(page, "working")[1] == f"Alene i frikvarteret {tag}"
        ctx.set_offline(False)
        page.get_by_role("button", name="Send nu").click()
        synced(page)
        # One named change of column and place: merged with the text edited elsewhere.
        on_server = server_notes(live_server, world)
        assert on_server[f"Alene i frikvarteret, ofte {tag}"]["column"] == "working"
        expect(note(page, f"Alene i frikvarteret, ofte {tag}")).to_be_visible()
        working = sorted(
            (n for n in on_server.values() if n["column"] == "working"), key=lambda n: n["position"]
        )
        assert [n["text"] for n in working] == [
            f"Leger med Ida {tag}",
            f"Alene i frikvarteret, ofte {tag}",
            f"Spiser frokost {tag}",
        ]


def test_flyt_til_moves_a_note_from_the_keyboard_and_the_focus_follows_it(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:5]
    with ipad(browser, LANDSCAPE) as ctx:
        page = ctx.new_page()
        course_on_tablet(page, live_server, f"Key{tag}")
        for n in (1, 2, 3):
            add_note(page, "Det vi vil se ske", f"Skridt {n} {tag}")
        third = note(page, f"Skridt 3 {tag}")
        third.get_by_role("button", name="Flyt til …").focus()
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name="Flyt noten")
        expect(dialog).to_contain_text(f"Skridt 3 {tag}")
        expect(dialog.get_by_role("button", name="Ned i kolonnen")).to_have_count(0)  # it is last
        dialog.get_by_role("button", name="Op i kolonnen").focus()
        page.keyboard.press("Enter")
        expect(column(page, "next_steps").locator(".note-text")).to_have_text(
            [f"Skridt 1 {tag}", f"Skridt 3 {tag}", f"Skridt 2 {tag}"]
        )
        note(page, f"Skridt 1 {tag}").get_by_role("button", name="Flyt til …").click()
        page.get_by_role("dialog", name="Flyt noten").get_by_role(
            "button", name="Til «Det der bekymrer»"
        ).click()
        expect(column(page, "worries").locator(".note-text")).to_have_text([f"Skridt 1 {tag}"])
        # The keyboard user is where the note went.
        wait_until(
            page,
            "t => document.activeElement?.closest('.column-worries .note')"
            "?.textContent.includes(t)",
            f"Skridt 1 {tag}",
        )
        # Escape closes the dialog and changes nothing.
        note(page, f"Skridt 2 {tag}").get_by_role("button", name="Flyt til …").click()
        expect(page.get_by_role("dialog", name="Flyt noten")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator("dialog[open]")).to_have_count(0)
        assert texts(page, "next_steps") == [f"Skridt 3 {tag}", f"Skridt 2 {tag}"]
        # A move is undone with one tap.
        page.locator(UNDO).get_by_role("button", name="Fortryd").click()
        expect(column(page, "next_steps").locator(".note-text")).to_have_text(
            [f"Skridt 1 {tag}", f"Skridt 3 {tag}", f"Skridt 2 {tag}"]
        )


def test_a_deleted_note_comes_back_with_one_tap_offline_and_after_it_was_sent(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:5]
    with ipad(browser, PORTRAIT) as ctx:
        page = ctx.new_page()
        world = course_on_tablet(page, live_server, f"Undo{tag}")
        wait_until_installed(page)
        for word in ("Sendt", "Offline", "Væk"):
            add_note(page, "Det der fungerer", f"{word} {tag}")
        synced(page)
        # After the deletion reached the server: "Fortryd" restores it there too.
        note(page, f"Sendt {tag}").get_by_role("button", name="Slet").click()
        expect(page.locator(UNDO)).to_contain_text("Noten er slettet")
        synced(page)
        eventually(lambda: f"Sendt {tag}" not in server_notes(live_server, world))
        page.locator(UNDO).get_by_role("button", name="Fortryd").click()
        expect(note(page, f"Sendt {tag}")).to_be_visible()
        synced(page)
        eventually(lambda: f"Sendt {tag}" in server_notes(live_server, world))
        # Offline: one note deleted for good, another deleted and undone, from the keyboard.
        ctx.set_offline(True)
        note(page, f"Væk {tag}").get_by_role("button", name="Slet").click()
        expect(note(page, f"Væk {tag}")).to_have_count(0)
        undo = page.locator(UNDO).get_by_role("button", name="Fortryd")
        # The clicked button had the focus, so "Fortryd" takes it once the bar is there; on a
        # loaded machine that came after the next line and Enter undid this deletion instead.
        expect(undo).to_be_focused()
        note(page, f"Offline {tag}").get_by_role("button", name="Slet").focus()
        page.keyboard.press("Enter")
        expect(note(page, f"Offline {tag}")).to_have_count(0)
        expect(undo).to_be_focused()  # the deleted note had the focus: "Fortryd" takes it
        page.keyboard.press("Enter")
        expect(note(page, f"Offline {tag}")).to_be_visible()
        expect(page.locator(UNDO)).to_contain_text("Noten er tilbage")
        wait_until(
            page,  # and the focus is on the note that came back
            "t => document.activeElement?.closest('.note')?.textContent.includes(t)",
            f"Offline {tag}",
        )
        page.reload()
        expect(note(page, f"Offline {tag}")).to_be_visible()
        expect(note(page, f"Væk {tag}")).to_have_count(0)  # the other deletion stands
        ctx.set_offline(False)
        page.get_by_role("button", name="Send nu").click()
        synced(page)
        on_server = server_notes(live_server, world)
        assert f"Offline {tag}" in on_server and f"Sendt {tag}" in on_server
        assert f"Væk {tag}" not in on_server
        # The offer lasts a few seconds, then it is gone.
        note(page, f"Offline {tag}").get_by_role("button", name="Slet").click()
        expect(page.locator(UNDO).get_by_role("button", name="Fortryd")).to_be_visible()
        expect(page.locator(UNDO).get_by_role("button", name="Fortryd")).to_have_count(
            0, timeout=13_000
        )


def test_agreements_are_edited_and_deleted_and_say_what_is_not_sent(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:5]
    with ipad(browser, PORTRAIT) as ctx:
        page = ctx.new_page()
        world = course_on_tablet(page, live_server, f"Aft{tag}")
        wait_until_installed(page)
        ctx.set_offline(True)
        page.get_by_label("Hvad").fill(f"Mor ringer {tag}")
        page.get_by_role("button", name="Tilføj aftale").click()
        item = page.locator(".agreement", has_text=f"Mor ringer {tag}")
        expect(item).to_contain_text("Ikke sendt endnu")
        item.get_by_role("button", name="Ret").click()
        form = item.get_by_role("group", name="Ret aftalen")
        form.get_by_label("Hvad").fill(f"Mor ringer til PPR {tag}")
        form.get_by_label("Hvem").select_option("institution")
        form.get_by_label("Senest").fill("2027-01-15")
        form.get_by_role("button", name="Gem").click()
        item = page.locator(".agreement", has_text=f"Mor ringer til PPR {tag}")
        expect(item).to_contain_text("Dagtilbud/skole, senest 15. januar 2027")
        ctx.set_offline(False)
        page.get_by_role("button", name="Send nu").click()
        synced(page)
        expect(item).not_to_contain_text("Ikke sendt endnu")
        url = f"{live_server}/api/meetings/{world['meeting']['id']}/agreements"
        [agreement] = ok(world["api"].get(url, timeout=30))
        assert (agreement["what"], agreement["owner"], agreement["due_date"]) == (
            f"Mor ringer til PPR {tag}",
            "institution",
            "2027-01-15",
        )
        item.get_by_role("button", name="Slet").click()
        expect(page.locator(UNDO)).to_contain_text("Aftalen er slettet")
        expect(item).to_have_count(0)
        synced(page)
        eventually(lambda: ok(world["api"].get(url, timeout=30)) == [])
        page.locator(UNDO).get_by_role("button", name="Fortryd").click()
        expect(item).to_be_visible()
        synced(page)
        eventually(lambda: len(ok(world["api"].get(url, timeout=30))) == 1)


def test_consent_publishing_and_filing_are_asked_for_before_they_happen(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:5]
    with ipad(browser, LANDSCAPE) as ctx:
        page = ctx.new_page()
        name = f"Ask{tag}"
        world = course_on_tablet(page, live_server, name)
        api, course_id = world["api"], world["course"]["id"]
        consents = f"{live_server}/api/courses/{course_id}/consents"
        # Consent at the table: who and what, and nothing on one tap.
        page.get_by_role("button", name="Mads Testesen har givet samtykke").click()
        dialog = page.get_by_role("dialog", name="Registrér samtykke fra Mads Testesen?")
        expect(dialog).to_contain_text(
            f"Mads Testesen (far) har givet samtykke til trivselsforløbet om {name}"
        )
        expect(dialog.get_by_role("button", name="Annullér")).to_be_focused()
        dialog.get_by_role("button", name="Annullér").click()
        expect(page.get_by_text("Mads Testesen: mangler")).to_be_visible()
        dialog_button = page.get_by_role("button", name="Mads Testesen har givet samtykke")
        dialog_button.click()
        page.get_by_role("button", name="Registrér samtykket").click()
        expect(page.get_by_text("Mads Testesen: givet")).to_be_visible()
        synced(page)
        assert [c["channel"] for c in ok(api.get(consents, timeout=30))] == ["in_person"]
        # Publishing: to whom, and what; cancelling sends nothing.
        meeting_id = world["meeting"]["id"]
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
        publish = page.get_by_role("button", name="Udgiv rapporten til forældrene")
        publish.click()
        dialog = page.get_by_role("dialog", name="Udgiv rapporten til forældrene?")
        for who, relation in (("Maria", "mor"), ("Mads", "far")):
            expect(dialog).to_contain_text(
                f"{who} Testesen ({relation}) \u2013 {who.lower()}.{name.lower()}@example.net"
            )
        expect(dialog).to_contain_text("0 billeder af tavlen")
        dialog.get_by_role("button", name="Annullér").click()
        reports = f"{live_server}/api/meetings/{meeting_id}/reports"
        synced(page)
        assert ok(api.get(reports, timeout=30)) == []
        expect(page.get_by_role("button", name="Journalisér i sagssystemet")).to_have_count(0)
        expect(page.get_by_text("Rapporten kan journaliseres, når den er udgivet.")).to_be_visible()
        publish.click()
        page.get_by_role("button", name="Udgiv og send").click()
        expect(page.get_by_text(re.compile("Udgivet .* af Frida Familieindgang"))).to_be_visible(
            timeout=20_000
        )
        # Filing is apart from publishing, and asked for too.
        file = page.get_by_role("button", name="Journalisér i sagssystemet")
        corrected = page.get_by_role("button", name="Udgiv en rettet rapport")
        a, b = corrected.bounding_box(), file.bounding_box()
        assert a and b and b["y"] - (a["y"] + a["height"]) >= 48, (a, b)
        assert page.get_by_role("group", name="Journalisering i sagssystemet").get_by_role(
            "button"
        ).all_inner_texts() == ["Journalisér i sagssystemet"]
        file.click()
        dialog = page.get_by_role("dialog", name="Journalisér rapporten i sagssystemet?")
        expect(dialog).to_contain_text("Det kan ikke fortrydes")
        dialog.get_by_role("button", name="Journalisér").click()
        filed = page.get_by_text(re.compile("Journaliseret .* af Frida Familieindgang"))
        expect(filed).to_be_visible(timeout=20_000)


def test_a_task_ticked_off_by_mistake_comes_back_with_one_tap(
    browser: Browser, live_server: str
) -> None:
    name = f"Task{uuid.uuid4().hex[:5]}"
    with ipad(browser, PORTRAIT) as ctx:
        page = ctx.new_page()
        world = course_on_tablet(page, live_server, name)
        ok(
            world["api"].patch(
                f"{live_server}/api/meetings/{world['meeting']['id']}",
                json={
                    "status": "finished",
                    "child_participation": "whole",
                    "next_meeting_at": (datetime.now(UTC) + timedelta(days=20)).isoformat(),
                },
                timeout=30,
            )
        )
        page.get_by_role("button", name="Tilbage til møderne").click()
        page.get_by_role("button", name="Send nu").click()
        tasks = page.get_by_role("region", name="Mine opgaver").locator("li", has_text=name)
        # Counted from the server: finishing made more than one, and they may reach the list
        # in more than one render (counting the list itself once took the first of them).
        me = ok(world["api"].get(f"{live_server}/api/auth/me", timeout=30))
        course_tasks = ok(
            world["api"].get(f"{live_server}/api/courses/{world['course']['id']}/tasks", timeout=30)
        )
        count = sum(
            1
            for t in course_tasks
            if t["done_at"] is None
            and (
                t["assignee_id"] == me["user"]["id"]
                if t["assignee_id"]
                else t["assignee_role"] == me["user"]["role"]
            )
        )
        assert count >= 1
        expect(tasks).to_have_count(count, timeout=20_000)
        # One tap. Not check(): the ticked task leaves the list, and check() then looks for
        # "the first task's box" again, finds the next task's, unticked, and ticks that too.
        tasks.first.get_by_role("checkbox").click()
        expect(tasks).to_have_count(count - 1)
        expect(page.locator(UNDO)).to_contain_text("Opgaven er udført")
        page.locator(UNDO).get_by_role("button", name="Fortryd").click()
        expect(tasks).to_have_count(count, timeout=20_000)  # the tick may be on its way out
        synced(page)
        url = f"{live_server}/api/courses/{world['course']['id']}/tasks"
        assert all(t["done_at"] is None for t in ok(world["api"].get(url, timeout=30)))
