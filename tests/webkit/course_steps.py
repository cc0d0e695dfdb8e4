"""The steps of a course walked in WebKit (tests/webkit/test_course_walk.py), as
tests/browser/story_walk.py has them for Chromium: taps that reach their target on a page
still growing, the open dialog, a meeting opened from the start page and finished, the
report published, the leader's tasks. Found by label and text, as a leader finds them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import requests
from selenium.webdriver.remote.webelement import WebElement

from tests.browser.live import DEMO_PASSWORD
from tests.browser.report_world import ok
from tests.browser.steps import ALL_SENT, DEMO_PIN
from tests.webkit.driver import Tablet

# A date or datetime-local input takes its value as the page's own script would (WebKitGTK's
# date fields take no typed keys through the driver); Preact listens for "input".
SET_VALUE = """const [el, value] = arguments;
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, value);
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));"""

# The control a label names inside the fieldset whose legend is ``legend``.
IN_FIELDSET = """const [legend, label] = arguments;
  const set = [...document.querySelectorAll('fieldset')]
    .find(f => f.querySelector('legend')?.textContent.trim() === legend);
  const l = set && [...set.querySelectorAll('label')].find(l => l.textContent.trim() === label);
  return l ? (l.htmlFor ? document.getElementById(l.htmlFor) : l.querySelector('input')) : null;"""

# A button of the open dialog, by its text.
DIALOG_BUTTON = """const open = document.querySelector('dialog[open]');
  return [...(open?.querySelectorAll('button') ?? [])]
    .find(b => b.textContent.trim() === arguments[0]) ?? null;"""

# The section a heading (h2) names.
SECTION = """return [...document.querySelectorAll('section')]
  .find(s => s.querySelector('h2')?.textContent.trim() === arguments[0]) ?? null;"""

# What lies on the screen at the middle of an element (when a tap does not reach it).
UNDER = """const r = arguments[0].getBoundingClientRect();
  const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {target: arguments[0].outerHTML.slice(0, 80), top: r.top, bottom: r.bottom,
          height: innerHeight, at: at?.outerHTML.slice(0, 80)};"""

BOX = "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height, r.top, r.bottom];"


def set_value(tablet: Tablet, field: WebElement, value: str) -> None:
    tablet.js(SET_VALUE, field, value)


def in_fieldset(tablet: Tablet, legend: str, label: str) -> WebElement:
    found: WebElement = tablet.until(
        lambda: tablet.js(IN_FIELDSET, legend, label), f"{label!r} in «{legend}»"
    )
    return found


def press(tablet: Tablet, element: WebElement) -> None:
    """A tap where a leader would tap it: scrolled to the middle of the screen first. The
    start page grows as the sync brings tasks and meetings, and the undo bar stands at the
    bottom for a few seconds, so what was scrolled to can lie under something else at the
    moment of the tap: the driver then refuses the click, and it is made again, as a person
    would tap again."""

    def tap() -> bool:
        tablet.js("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        return True

    tablet.until(
        tap,
        "the tap reached its target",
        seconds=15,
        describe=lambda: str(tablet.js(UNDER, element)),
    )


def press_until(tablet: Tablet, element: WebElement, done: Callable[[], Any], what: str) -> None:
    """``press``, and again while ``done`` does not come: a meeting's page still growing as
    its parts arrive from the device's store can move the target between the driver's
    scroll and its tap, which then lands beside it (seen at a follow-up meeting)."""
    for attempt in range(3):
        press(tablet, element)
        try:
            tablet.until(done, what, seconds=5 if attempt < 2 else 30)
            return
        except pytest.fail.Exception:
            if attempt == 2:
                raise


def tap(tablet: Tablet, name: str) -> None:
    """The button ``name`` tapped (as ``press``)."""
    press(tablet, tablet.button(name))


def in_dialog(tablet: Tablet, name: str) -> None:
    press(tablet, tablet.until(lambda: tablet.js(DIALOG_BUTTON, name), f"{name!r} in a dialog"))


def dialog_text(tablet: Tablet) -> str:
    return str(tablet.js("return document.querySelector('dialog[open]')?.innerText ?? ''"))


def section(tablet: Tablet, heading: str) -> WebElement:
    found: WebElement = tablet.until(lambda: tablet.js(SECTION, heading), f"a part {heading!r}")
    return found


def checked(tablet: Tablet, item: WebElement) -> bool:
    return bool(
        tablet.js("return arguments[0].querySelector('input[type=checkbox]').checked", item)
    )


def all_sent(tablet: Tablet) -> None:
    tablet.until(lambda: tablet.wait_js(f"return await ({ALL_SENT})()"), "all is sent")


def sign_in(tablet: Tablet, base: str) -> None:
    tablet.go(base)
    tablet.type("E-mail", "familie@example.org")
    tablet.type("Adgangskode", DEMO_PASSWORD)
    tap(tablet, "Log ind")
    tablet.type("Pinkode (6 cifre)", DEMO_PIN)
    tablet.type("Skriv pinkoden igen", DEMO_PIN)
    tap(tablet, "Brug pinkoden")
    tablet.shows("Alt er sendt")


def finish(tablet: Tablet, next_at: datetime | None, asked: bool) -> None:
    """The child took part in the whole meeting, the next date, "Afslut mødet"; a meeting
    dated ahead is asked about first."""
    participation = tablet.field("Hele mødet")
    press_until(tablet, participation, participation.is_selected, "the participation is chosen")
    if next_at is not None:
        set_value(tablet, tablet.field("Næste møde"), next_at.strftime("%Y-%m-%dT%H:%M"))
    tap(tablet, "Afslut mødet")
    finishing = section(tablet, "Afslutning")
    if asked:
        tablet.until(
            lambda: "Er det holdt allerede?" in finishing.text,
            "asked whether it was held already",
            describe=lambda: "finishing: " + finishing.text.replace("\n", " | "),
        )
        tap(tablet, "Ja, afslut mødet nu")
    tablet.until(
        lambda: "Mødet er afsluttet." in finishing.text,
        "the meeting is finished",
        describe=lambda: "finishing: " + finishing.text.replace("\n", " | "),
    )


def publish(tablet: Tablet, child: str) -> list[str]:
    """§5: the publish dialog lists what will be sent; what it listed is returned."""
    tap(tablet, "Udgiv rapporten til forældrene")
    tablet.until(
        lambda: "Udgiv rapporten til forældrene?" in dialog_text(tablet), "the publish dialog"
    )
    listed: list[str] = tablet.js(
        "return [...document.querySelectorAll('dialog[open] .report-contents li')]"
        ".map(li => li.textContent.trim())"
    )
    in_dialog(tablet, "Udgiv og send")
    tablet.until(
        lambda: re.search(r"Udgivet .* af Frida Familieindgang", tablet.text()), "published"
    )
    return listed


# Every click the page gets, where it landed (said when a tap went astray).
RECORD_CLICKS = """if (!window.__clicks) {
    window.__clicks = [];
    document.addEventListener('click', e => window.__clicks.push(
      [e.target.outerHTML.slice(0, 60), e.clientX, e.clientY, location.pathname]), true);
  }"""


def back_to_start(tablet: Tablet) -> None:
    """ "Tilbage til møderne", tapped again when the start page does not come: one run in
    about five, WebKit delivered the tap at the button's place to the heading "Trivsel"
    above it (something stood above the header for a moment; not found), and a person
    would tap again."""
    tablet.js(RECORD_CLICKS)
    for attempt in range(3):
        tap(tablet, "Tilbage til møderne")
        try:
            tablet.until(
                lambda: not tablet.js("return document.querySelector('header.meeting-header')"),
                "the start page is shown",
                seconds=5 if attempt < 2 else 30,
                describe=lambda: f"clicks: {tablet.js('return window.__clicks')}",
            )
            return
        except pytest.fail.Exception:
            if attempt == 2:
                raise


def open_meeting(tablet: Tablet, child: str, number: int, heading: str) -> None:
    """From the start page, once it has stopped growing: the sync brings tasks above the
    meetings, and a tap while they arrive opened the meeting above the one meant (one run
    in four); then the leader goes back and taps again."""
    header = "return document.querySelector('header.meeting-header')?.innerText ?? ''"
    for attempt in range(3):
        if tablet.js(header):
            back_to_start(tablet)
        settled(tablet)
        button = tablet.until(
            lambda: tablet.js(
                "const p = new RegExp(arguments[0]);"
                "return [...document.querySelectorAll('button')].find(b => p.test(b.textContent))",
                f"{child}.*møde {number} af 5",
            ),
            f"meeting {number} on the start page",
        )
        press(tablet, button)
        shown = tablet.until(lambda: tablet.js(header), "a meeting is open")
        if f"Møde {number} af 5" in shown or attempt == 2:
            break
    tablet.until(
        lambda: (
            tablet.js("return document.querySelector('header.meeting-header h2')?.textContent")
            == heading
            and f"Møde {number} af 5" in tablet.js(header)
        ),
        f"meeting {number} is open",
    )
    settled(tablet)


def settled(tablet: Tablet) -> None:
    """The page has stopped growing: its height the same at three looks in a row (its parts
    come from the device's store one by one after the header)."""
    heights: list[int] = []

    def same() -> bool:
        heights.append(int(tablet.js("return document.body.scrollHeight")))
        return len(heights) >= 3 and len(set(heights[-3:])) == 1

    tablet.until(same, "the page has stopped growing", describe=lambda: f"heights {heights}")


def meetings_on_server(api: requests.Session, base: str, course_id: str) -> list[dict[str, Any]]:
    meetings = ok(api.get(f"{base}/api/courses/{course_id}/meetings", timeout=30))
    return sorted(meetings, key=lambda m: m["starts_at"])


def my_tasks(tablet: Tablet) -> list[str]:
    """The start page's "Mine opgaver", in the order shown."""
    texts: list[str] = tablet.js(
        "return [...(document.getElementById('tasks-heading')?.closest('section')"
        "?.querySelectorAll('li') ?? [])].map(li => li.innerText)"
    )
    return texts
