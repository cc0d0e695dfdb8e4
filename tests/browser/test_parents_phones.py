"""A mother and a father on two phones (390 x 844, Chromium), as issue 21 tells it: a private
comment stays with its author and the staff, a shared one reaches the other parent; the
scaling chart tells the two parents apart without colour and shows the newest meeting
first; the consent page and the access log say what they are; axe with the WCAG 2.1 A and
AA rules finds nothing on any of these pages."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from tests.browser.report_world import fill_and_publish, invitation_link, new_course, ok
from tests.browser.steps import wcag_violations

MOTHER = [3, 5, 6, 8]
FATHER = [3, 5, 6, 7]  # the same as the mother's at three meetings
CHILD = [2, 4, 5, 8]


@contextmanager
def phone(browser: Browser, base: str, link: str) -> Iterator[Page]:
    """A phone that has opened its invitation."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
    )
    context.set_default_timeout(15_000)
    try:
        mobile = context.new_page()
        mobile.goto(base + urlsplit(link).path)
        mobile.get_by_role("button", name="Åbn på denne telefon").click()
        # The link leads to the report its message was about; the list is one step away.
        expect(mobile.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()
        mobile.goto(base + "/p/")
        expect(mobile.get_by_role("heading", name="Rapporter fra trivselsmøder")).to_be_visible()
        yield mobile
    finally:
        context.close()


def four_meetings_of_answers(base: str, world: dict[str, Any]) -> dict[str, Any]:
    """The start meeting and three follow-ups, the parents and the child answering the
    scaling question at each (the mother and the father have the same role); the fourth
    returned."""
    api = world["api"]
    first = world["meeting"]
    starts = datetime.fromisoformat(first["starts_at"])
    meetings = [first] + [
        ok(
            api.post(
                f"{base}/api/meetings",
                json={
                    "course_id": world["course"]["id"],
                    "kind": "follow_up",
                    "place": "Solsikken",
                    "starts_at": (starts + timedelta(days=28 * n)).isoformat(),
                },
                timeout=30,
            )
        )
        for n in range(1, 4)
    ]
    people = [
        ("guardian", "Maria Testesen", MOTHER),
        ("guardian", "Mads Testesen", FATHER),
        ("child", world["child"]["first_name"], CHILD),
    ]
    for n, meeting in enumerate(meetings):
        for role, name, values in people:
            ok(
                api.post(
                    f"{base}/api/scaling-answers",
                    json={
                        "meeting_id": meeting["id"],
                        "role": role,
                        "name": name,
                        "value": values[n],
                    },
                    timeout=30,
                )
            )
    return dict(meetings[-1])


def test_two_parents_on_two_phones(browser: Browser, live_server: str) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"Liv{tag}"
    world = new_course(live_server, name)
    world["meeting"] = four_meetings_of_answers(live_server, world)
    api = world["api"]
    guardians = ok(api.get(f"{live_server}/api/children/{world['child']['id']}/guardians"))
    mother_id = next(g["id"] for g in guardians if g["relation"] == "mor")
    ok(
        api.post(
            f"{live_server}/api/consents",
            json={
                "course_id": world["course"]["id"],
                "guardian_id": mother_id,
                "status": "requested",
            },
            timeout=30,
        )
    )
    fill_and_publish(live_server, world, tag)
    mother_link = invitation_link(live_server, f"maria.{name.lower()}@example.net")
    father_link = invitation_link(live_server, f"mads.{name.lower()}@example.net")
    with (
        phone(browser, live_server, mother_link) as mor,
        phone(browser, live_server, father_link) as far,
    ):
        for mobile in (mor, far):
            mobile.get_by_role("link", name=re.compile("Opfølgningsmøde")).click()
            expect(mobile.get_by_role("heading", name="Rapport fra trivselsmødet")).to_be_visible()

        # The chart: each parent a marker and a legend line of their own; nothing wider than
        # the phone; the newest meeting's column in view without scrolling sideways.
        series = dict(
            mor.eval_on_selector_all(
                "svg[role=img] g.serie",
                "gs => gs.map(g => [g.dataset.name, g.dataset.marker])",
            )
        )
        assert series["Maria Testesen"] != series["Mads Testesen"], series
        legend = mor.locator("svg[role=img] g.legend text").all_text_contents()
        assert "Maria Testesen (Forælder)" in legend and "Mads Testesen (Forælder)" in legend
        assert mor.evaluate("document.documentElement.scrollWidth") <= 390
        newest = mor.get_by_role("columnheader", name="Møde 4")
        newest.scroll_into_view_if_needed()
        box = newest.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390, box
        rows = mor.locator("table.scaling tbody tr")
        expect(rows.filter(has_text="Mads Testesen").locator("td")).to_have_text(
            [str(v) for v in FATHER]
        )
        assert wcag_violations(mor) == []

        # A private comment, then a shared one.
        mor.get_by_label("Jeres bemærkning").fill(f"Kun til fagfolkene {tag}")
        expect(
            mor.get_by_label("Den anden forælder må også læse min bemærkning")
        ).not_to_be_checked()
        mor.get_by_role("button", name="Send bemærkningen").click()
        expect(mor.get_by_text("Tak. Jeres bemærkning er sendt.")).to_be_visible()
        expect(mor.get_by_text("Kun du og fagfolkene kan læse den.")).to_be_visible()
        far.reload()
        expect(far.locator("#comments")).not_to_contain_text(f"Kun til fagfolkene {tag}")
        mor.get_by_label("Jeres bemærkning").fill(f"Til os begge {tag}")
        mor.get_by_label("Den anden forælder må også læse min bemærkning").check()
        mor.get_by_role("button", name="Send bemærkningen").click()
        expect(mor.get_by_text("Den anden forælder kan også læse den.")).to_be_visible()
        far.reload()
        expect(far.locator("#comments")).to_contain_text(f"Til os begge {tag}")
        expect(far.locator("#comments")).not_to_contain_text(f"Kun til fagfolkene {tag}")
        assert wcag_violations(mor) == []
        # Withdrawn by its author: gone from the father's phone too.
        shared = mor.locator("#comments li", has_text=f"Til os begge {tag}")
        shared.get_by_role("button", name="Træk bemærkningen tilbage").click()
        expect(mor.get_by_text("Bemærkningen er trukket tilbage.")).to_be_visible()
        far.reload()
        expect(far.locator("#comments")).not_to_contain_text(f"Til os begge {tag}")

        # The access log: people's readings apart from the tablets' fetches.
        mor.goto(live_server + "/p/access")
        expect(
            mor.get_by_role("heading", name="Hvem har åbnet eller ændret oplysningerne")
        ).to_be_visible()
        assert wcag_violations(mor) == []
        assert "kl." not in " ".join(mor.locator("#fetched li").all_inner_texts())

        # The consent page has a title of its own, says what is shared with whom and where
        # to complain; withdrawing asks once first.
        mor.goto(live_server + "/p/consent")
        expect(mor).to_have_title("Samtykke til trivselsforløbet")
        expect(mor.get_by_role("heading", name="Hvad deler vi, og med hvem?")).to_be_visible()
        expect(mor.get_by_role("link", name="www.datatilsynet.dk")).to_be_visible()
        assert wcag_violations(mor) == []
        mor.get_by_role("button", name="Giv samtykke").click()
        expect(mor.get_by_text("Du har givet samtykke")).to_be_visible()
        mor.get_by_role("button", name="Træk samtykket tilbage").click()
        expect(mor.get_by_role("heading", name="Vil du trække samtykket tilbage?")).to_be_visible()
        assert wcag_violations(mor) == []
        mor.get_by_role("link", name="Nej, behold samtykket").click()
        expect(mor.get_by_text("Du har givet samtykke")).to_be_visible()  # nothing changed
        mor.get_by_role("button", name="Træk samtykket tilbage").click()
        mor.get_by_role("button", name="Ja, træk samtykket tilbage").click()
        expect(mor.get_by_text("Du har trukket dit samtykke tilbage")).to_be_visible()
