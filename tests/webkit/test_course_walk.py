"""A whole course of five meetings walked in WebKit on an iPad-sized window (issue 23, "done
when"), as a new leader meets each point of the issue: storage told once when it is not
persistent (§3); the new course refused without a custody holder and asked for the birth
date (§5); at the first meeting the header (child, date, place, "Møde 1 af 5") and jump
links, the missing consent at the top with what it blocks, attendance filled in from the
course, "Forældrene ser dette" on what a publish shows, a draft that survives a reload (§4),
tick boxes that only their box ticks (44 px), the agenda asked about before it goes again
(§4), no blur warning on a sharp board photo; the publish dialog's list and the notice of a
change after publishing; tasks closing themselves and sorted by date; then meetings 2-5,
the fifth the closing one (the legal limit: a sixth is refused), and the course closed.

The Chromium tests prove each point in depth (tests/browser/test_meeting_screen.py,
test_nothing_typed_is_lost.py, test_agenda_again.py, test_storage_holds.py,
test_whole_course.py, test_course_story.py); this walk proves they hold in Safari's engine.
Only what the walk is not about goes through the API: filing a report (the case system's
part), two tasks made at the office (one overdue, which a walk cannot wait for) and the
sixth meeting, which the tablet never offers (after the fourth it says the next is the
closing one, at the fifth that this is it); the server refuses it (too_many_meetings)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select

from tests.browser.live import api_session
from tests.browser.report_world import ok, soon_today
from tests.browser.steps import camera_photo, due_of
from tests.harness import Gunicorn
from tests.webkit.course_steps import (
    BOX,
    SECTION,
    all_sent,
    back_to_start,
    checked,
    dialog_text,
    finish,
    in_dialog,
    in_fieldset,
    meetings_on_server,
    my_tasks,
    open_meeting,
    press,
    press_until,
    publish,
    section,
    set_value,
    settled,
    sign_in,
    tap,
)
from tests.webkit.driver import Tablet

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("webkit")]

IPAD = "820x1180"  # an iPad Air 11" in portrait, in CSS pixels
DAYS_BETWEEN = 28  # four weeks apart: five meetings fit in the six months
MARK = "Forældrene ser dette"
NOT_PERSISTENT = "Browseren kan slette det, der er gemt på tabletten"
NOTE = "Ny note i «Det der bekymrer»"

# An element is seen: inside the window, and what is on the screen at its middle is it.
SEEN = """const el = document.getElementById(arguments[0]);
  const r = el.getBoundingClientRect();
  const at = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
  return r.top >= -1 && r.bottom <= innerHeight + 1 && el.contains(at);"""
WHAT_IS_SEEN = """const r = document.getElementById(arguments[0]).getBoundingClientRect();
  const at = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
  return {top: r.top, bottom: r.bottom, height: innerHeight, at: at?.outerHTML.slice(0, 80)};"""


def storage_told_once(tablet: Tablet) -> None:
    """§3: WebKitGTK has no navigator.storage.persist, so the data is not persistent; the
    leader is told once, with the home screen as what to do."""
    tablet.shows(NOT_PERSISTENT)
    assert "hjemmeskærmen" in tablet.text()
    tap(tablet, "Forstået")
    tablet.until(lambda: NOT_PERSISTENT not in tablet.text(), "the notice is gone")


def new_course(tablet: Tablet, child: str, tag: str, start: datetime) -> None:
    """§5: the form refuses a course without a custody holder and asks for the birth date,
    field by field, in Danish; filled in, it opens the start meeting."""
    settled(tablet)  # the start page grows as the sync brings what the leader has
    press_until(
        tablet,
        tablet.button("Nyt trivselsforløb"),
        lambda: tablet.js(
            "return [...document.querySelectorAll('h2')]"
            ".some(h => h.textContent.trim() === 'Nyt trivselsforløb')"
        ),
        "the new-course form is open",
    )
    tablet.type("Fornavn", child)
    tablet.type("Efternavn", "Holm")
    institution = tablet.field("Dagtilbud eller skole")
    tablet.until(  # the form asks the server for the institutions as it opens
        lambda: "Solsikken" in institution.text, "Solsikken among the institutions"
    )
    Select(institution).select_by_visible_text("Solsikken")
    tablet.field("Sårbar trivsel").click()
    tablet.type("Hvad er bekymringen?", "Alma er stille om morgenen")
    set_value(tablet, tablet.field("Opstartsmødet: tid"), start.strftime("%Y-%m-%dT%H:%M"))
    tablet.type("Opstartsmødet: sted", "Solsikken")
    in_fieldset(tablet, "Forælder 1", "Navn").send_keys("Maria Holm")
    for parent in ("Forælder 1", "Forælder 2"):
        press(tablet, in_fieldset(tablet, parent, "Har forældremyndighed"))  # unticked
    tap(tablet, "Opret forløbet")
    tablet.shows("Udfyld de markerede felter.")
    tablet.shows("Skriv mindst én forælder med forældremyndighed")
    tablet.shows("Skriv barnets fødselsdato.")
    assert tablet.field("Fødselsdato").get_attribute("aria-invalid") == "true"

    parents = (
        ("Forælder 1", "", "mor", f"maria.{tag}@example.net"),
        ("Forælder 2", "Mads Holm", "far", f"mads.{tag}@example.net"),
    )
    for legend, name, relation, email in parents:
        if name:
            in_fieldset(tablet, legend, "Navn").send_keys(name)
        in_fieldset(tablet, legend, "Relation (fx mor, far)").send_keys(relation)
        in_fieldset(tablet, legend, "E-mail").send_keys(email)
        press(tablet, in_fieldset(tablet, legend, "Har forældremyndighed"))  # ticked again
    set_value(tablet, tablet.field("Fødselsdato"), "2020-05-17")
    tap(tablet, "Opret forløbet")
    tablet.until(
        lambda: (
            tablet.js(
                "return document.querySelector('header.meeting-header .meeting-child')?.textContent"
            )
            == f"{child} Holm"
        ),
        "the start meeting is open",
    )


def header_and_jump_links(tablet: Tablet, start: datetime) -> None:
    """§5: the header names the child, the day, the place and which meeting this is; each
    jump link leads to a part that is on the page."""
    header = str(tablet.js("return document.querySelector('header.meeting-header').innerText"))
    for said in ("Opstartsmøde", f"{start.day}. ", str(start.year), "Sted: Solsikken"):
        assert said in header, header
    assert "Møde 1 af 5" in header, header
    links: list[str] = tablet.js(
        "return [...document.querySelectorAll('nav[aria-label=\"Mødets dele\"] a')]"
        ".map(a => a.getAttribute('href'))"
    )
    assert len(links) >= 6, links
    for href in links:
        assert (
            href.startswith("#")
            and tablet.js("return document.querySelectorAll(arguments[0]).length", href) == 1
        ), href
    link = tablet.js(
        "return [...document.querySelectorAll('nav[aria-label=\"Mødets dele\"] a')]"
        ".find(a => a.textContent.trim() === 'Aftaler')"
    )
    link.click()
    # On the screen and readable: not under the sticky status bar at the top.
    tablet.until(
        lambda: (
            tablet.js(SEEN, "agreements-heading")
            and tablet.js("return location.hash") == "#agreements-heading"
        ),
        "the agreements' heading is on the screen, uncovered",
        describe=lambda: str(tablet.js(WHAT_IS_SEEN, "agreements-heading")),
    )
    tablet.js("window.scrollTo(0, 0)")


def consent_at_the_top(tablet: Tablet) -> None:
    """§5: a missing consent is said above the board, with whose and what it blocks."""
    block = tablet.until(
        lambda: tablet.js("return document.querySelector('.consent-block')"), "the consent block"
    )
    said = block.text
    for guardian in ("Maria Holm (mor)", "Mads Holm (far)"):
        assert guardian in said, said
    assert "må I ikke dele oplysninger om barnet" in said, said
    board = tablet.js(
        "return [...document.querySelectorAll('h2')].find(h => h.textContent.trim() === 'Tavlen')"
    )
    assert tablet.js(BOX, block)[3] <= tablet.js(BOX, board)[2]


def attendance_from_the_course(tablet: Tablet) -> None:
    """§5: the custody holders, the leader and the educator, none ticked; a tap on a name
    never ticks, the box's own 44 px label "Til stede" does."""
    part = section(tablet, "Fremmøde")
    people: list[str] = tablet.js(
        "return [...arguments[0].querySelectorAll('li .item-text')].map(s => s.textContent.trim())",
        part,
    )
    for person in (
        "Maria Holm (Forælder)",
        "Mads Holm (Forælder)",
        "Frida Familieindgang (Familieindgangen)",
    ):
        assert person in people, people
    assert any(p.endswith("(Pædagog/lærer)") for p in people), people
    items: list[WebElement] = tablet.js("return [...arguments[0].querySelectorAll('li')]", part)
    assert not any(checked(tablet, item) for item in items)
    mother = next(i for i in items if "Maria Holm" in i.text)
    press(tablet, mother.find_element("css selector", ".item-text"))
    assert not checked(tablet, mother)
    tick = mother.find_element("css selector", "label.tick")
    assert tick.text == "Til stede"
    width, height, *_ = tablet.js(BOX, tick)
    assert width >= 44 and height >= 44, (width, height)
    press(tablet, tick)
    tablet.until(lambda: checked(tablet, mother), "the mother is ticked present")


def marked_for_parents(tablet: Tablet) -> None:
    """§5: every part a publish shows says so; the agenda and documents do not."""
    for heading in ("Fremmøde", "Tavlen", "Billeder af tavlen", "Aftaler"):
        marks = tablet.js(
            "return [...arguments[0].querySelectorAll('.parents-see')].map(m => m.textContent)",
            section(tablet, heading),
        )
        assert marks and marks[0] == MARK, (heading, marks)
    assert (
        tablet.js(
            "return document.querySelector('header.meeting-header .parents-see')?.textContent"
        )
        == MARK
    )
    for heading in ("Dagsorden", "Dokumenter"):
        part = tablet.js(SECTION, heading)
        assert part is None or MARK not in part.text, heading


def draft_survives_a_reload(tablet: Tablet, text: str) -> None:
    """§4: a note typed but not added is kept on the device ("Gemt") and back after a reload;
    added, it is on the board."""
    tablet.type(NOTE, text)
    tablet.until(
        lambda: (
            tablet.js("return document.getElementById('new-worries-kept')?.textContent") == "Gemt"
        ),
        "the draft is kept",
    )
    tablet.reload()
    tablet.until(lambda: tablet.field(NOTE).get_attribute("value") == text, "the draft is back")
    tablet.field(NOTE).send_keys(Keys.ENTER)
    tablet.until(
        lambda: (
            text
            in tablet.js(
                "return [...document.querySelectorAll('.column-worries .note-text')]"
                ".map(n => n.textContent.trim())"
            )
        ),
        "the note is on the board",
    )


def agreement_ticked_by_its_box(tablet: Tablet, what: str) -> None:
    """§5: tapping an agreement's text never ticks it; its 44 px "Udført" box does."""
    tablet.type("Hvad", what)
    tap(tablet, "Tilføj aftale")
    item = tablet.until(
        lambda: tablet.js(
            "return [...document.querySelectorAll('.agreement')]"
            ".find(a => a.textContent.includes(arguments[0]))",
            what,
        ),
        "the agreement",
    )
    press(tablet, item.find_element("css selector", ".item-text"))
    assert not checked(tablet, item)
    tick = item.find_element("css selector", "label.tick")
    assert tick.text == "Udført"
    width, height, *_ = tablet.js(BOX, tick)
    assert width >= 44 and height >= 44, (width, height)
    press(tablet, tick)
    tablet.until(lambda: checked(tablet, item), "the agreement is ticked")


def agenda_asked_again(tablet: Tablet) -> None:
    """§4: the agenda goes; a second time is asked about first, saying when the last went."""
    tap(tablet, "Send dagsordenen til forældrene")
    tablet.shows("Dagsordenen er sendt til 2 forældre.")
    tap(tablet, "Send dagsordenen til forældrene")
    tablet.until(lambda: "Send dagsordenen igen?" in dialog_text(tablet), "asked first")
    assert re.search(r"blev sendt til forældrene .*kl\. \d", dialog_text(tablet)), dialog_text(
        tablet
    )
    in_dialog(tablet, "Annullér")
    tablet.until(lambda: not dialog_text(tablet), "the question is gone")


def sharp_photo_no_warning(tablet: Tablet, path: Path) -> None:
    """§5: a sharp board photo (a tablet camera's 12 MP) raises no blur warning."""
    camera_photo(path)
    tablet.field("Tag billede af tavlen").send_keys(str(path))
    tablet.until(
        lambda: tablet.js(
            "return document.querySelectorAll('img[alt=\"Billede af tavlen\"]').length"
        ),
        "the photo is shown",
        seconds=60,
    )
    all_sent(tablet)  # stored and sent: its check was made before it was kept
    assert tablet.js("return document.querySelector('.photo-quality').textContent") == ""
    assert "uskarpt" not in tablet.text()


def task_ticked_by_its_box(tablet: Tablet, title: str) -> None:
    """§5: tapping a task's text never ticks it; its 44 px box does, and it is done."""
    find = (
        "return [...document.querySelectorAll('.tasks li')]"
        ".find(li => li.textContent.includes(arguments[0])) ?? null"
    )
    item = tablet.until(lambda: tablet.js(find, title), f"the task {title!r}")
    press(tablet, item.find_element("css selector", ".item-text"))
    assert not checked(tablet, item)
    assert tablet.js(find, title) is not None
    tick = item.find_element("css selector", "label.tick")
    width, height, *_ = tablet.js(BOX, tick)
    assert width >= 44 and height >= 44, (width, height)
    press(tablet, tick)
    tablet.until(lambda: tablet.js(find, title) is None, "the task is done")


def test_a_course_of_five_meetings_in_webkit(
    driver_url: str, server: Gunicorn, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:5]
    child = f"Alma{tag}"
    base = server.start()
    api = api_session(base, "familie@example.org")
    # Today, in an hour at most: the start meeting is finished on its own day, unasked.
    start = soon_today().astimezone().replace(second=0, microsecond=0, tzinfo=None)
    tablet = Tablet(driver_url, tmp_path / "profile", size=IPAD)
    try:
        sign_in(tablet, base)
        storage_told_once(tablet)
        new_course(tablet, child, tag, start)
        course = next(
            c
            for c in ok(api.get(f"{base}/api/courses", timeout=30))
            if c["reason"] == "Alma er stille om morgenen"
        )
        # Two tasks of the leader's own, made at the office (over the API): one due two days
        # ago, which the walk cannot wait for, and one with no date.
        me = ok(api.get(f"{base}/api/auth/me", timeout=30))["user"]
        overdue, undated = f"Ring til PPR {tag}", f"Find en tolk {tag}"
        for title, due in (
            (overdue, datetime.now(UTC).date() - timedelta(days=2)),
            (undated, None),
        ):
            task = {"course_id": course["id"], "title": title, "assignee_role": "family_unit"}
            task |= {"assignee_id": me["id"], "due_date": due and due.isoformat()}
            ok(api.post(f"{base}/api/tasks", json=task, timeout=30))

        # Meeting 1, in the order a leader meets it on the screen.
        header_and_jump_links(tablet, start)
        consent_at_the_top(tablet)
        attendance_from_the_course(tablet)
        marked_for_parents(tablet)
        draft_survives_a_reload(tablet, f"Halvt skrevet note {tag}")
        assert NOT_PERSISTENT not in tablet.text()  # told once: not again after the reload
        agreement_ticked_by_its_box(tablet, f"Fast voksen om morgenen {tag}")
        agenda_asked_again(tablet)
        sharp_photo_no_warning(tablet, tmp_path / "tavle.jpg")
        finish(tablet, start + timedelta(days=DAYS_BETWEEN), asked=False)
        all_sent(tablet)
        listed = publish(tablet, child)
        assert listed[0].startswith(f"Overskrift: {child} Holm, opstartsmøde"), listed
        for line in (
            "1 deltager til stede",
            "1 note i «Det der bekymrer»",
            "1 aftale",
            "1 billede af tavlen",
            "Barnets deltagelse: Hele mødet",
        ):
            assert line in listed, (line, listed)
        assert listed[-1] == "Afsender og kontakt: Frida Familieindgang", listed

        # A change after publishing: the parents still see the first version.
        minutes = tablet.field("Referat (valgfrit)")
        tablet.type("Referat (valgfrit)", f"Mor var glad {tag}")
        tablet.js("arguments[0].blur()", minutes)
        tablet.shows("Ændret efter udgivelsen: forældrene ser stadig udgave 1")

        # Published and filed (filing is the case system's part: over the API), the report
        # task closes itself.
        first = meetings_on_server(api, base, course["id"])[0]
        ok(api.post(f"{base}/api/filings", json={"meeting_id": first["id"]}, timeout=30))
        tap(tablet, "Send nu")
        all_sent(tablet)
        tasks = ok(api.get(f"{base}/api/courses/{course['id']}/tasks", timeout=30))
        report_task = [
            t for t in tasks if t["kind"] == "send_report" and t["meeting_id"] == first["id"]
        ]
        assert [bool(t["done_at"]) for t in report_task] == [True], report_task

        # Meetings 2-4, each dated four weeks after the last: finished early, asked first.
        for number in (2, 3, 4):
            open_meeting(tablet, child, number, "Opfølgningsmøde")
            if number == 4:  # the next is the fifth, so the closing one, and nothing else
                tablet.shows("Næste møde bliver møde 5 af 5")
                assert not tablet.field("Næste møde er afslutningsmødet").is_enabled()
            planned = start + timedelta(days=DAYS_BETWEEN * (number - 1))
            finish(tablet, planned + timedelta(days=DAYS_BETWEEN), asked=True)
            if number == 3:
                # The start page's tasks: the published and filed report's is gone; the rest
                # (reports due in two days, agendas a week before each next meeting, made in
                # another order) come by date, the overdue first, the undated last.
                all_sent(tablet)
                back_to_start(tablet)
                tablet.until(
                    # Three agendas, two reports, and the two made at the office.
                    lambda: sum(child in t for t in my_tasks(tablet)) >= 7,
                    "the course's tasks are on the start page",
                )
                shown = my_tasks(tablet)
                ours = [t for t in shown if child in t]
                assert not [t for t in ours if "Udgiv" in t and "Fra møde 1 " in t], ours
                dues = [due_of(t) for t in shown]
                dated = [d for d in dues if d is not None]
                assert len(set(dated)) >= 3 and dated == sorted(dated), shown
                assert dues == dated + [None] * (len(dues) - len(dated)), shown
                assert overdue in shown[0] and "Forsinket" in shown[0], shown
                assert undated in shown[-1], shown
                task_ticked_by_its_box(tablet, overdue)

        # Meeting 5 is the closing one; a sixth is refused, by the server too.
        open_meeting(tablet, child, 5, "Afslutningsmøde")
        tablet.shows("Dette er afslutningsmødet.")
        all_sent(tablet)
        sixth = api.post(
            f"{base}/api/meetings",
            json={
                "course_id": course["id"],
                "kind": "follow_up",
                "place": "Solsikken",
                "starts_at": (start + timedelta(days=DAYS_BETWEEN * 5)).astimezone().isoformat(),
            },
            timeout=30,
        )
        assert sixth.status_code in (400, 409, 422), sixth.text
        assert sixth.json()["error"]["code"] == "too_many_meetings", sixth.text
        finish(tablet, None, asked=True)
        tablet.shows("Forløbet er afsluttet")
        all_sent(tablet)
        # The course closed: its agenda tasks closed themselves.
        back_to_start(tablet)
        tablet.until(
            lambda: not any(child in t and "Send dagsorden" in t for t in my_tasks(tablet)),
            "the course's agenda tasks are closed",
        )
    finally:
        tablet.close()

    done = ok(api.get(f"{base}/api/courses/{course['id']}", timeout=30))
    assert done["status"] == "closed"
    held = meetings_on_server(api, base, course["id"])
    assert [m["kind"] for m in held] == ["start", *["follow_up"] * 3, "closing"]
    assert all(m["status"] == "finished" for m in held)
