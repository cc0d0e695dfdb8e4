"""A whole trivselsforløb in the browser: open, consent from a parent's phone, start meeting,
follow-up, closing meeting, course closed."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, expect

from tests.browser.live import api_session
from tests.browser.report_world import LINK, newest_message, ok, soon_today
from tests.browser.steps import sign_in, synced
from tests.documents import plain_pdf


def finish_meeting(page: Page, next_at: datetime | None, next_is_closing: bool = False) -> None:
    # A controlled radio: it shows as checked once the change is stored on the tablet.
    page.get_by_label("Hele mødet").click()
    expect(page.get_by_label("Hele mødet")).to_be_checked()
    if next_at is not None:
        page.get_by_label("Næste møde", exact=True).fill(next_at.strftime("%Y-%m-%dT%H:%M"))
        closing = page.get_by_label("Næste møde er afslutningsmødet")
        if closing.is_checked() != next_is_closing:
            closing.click()
    page.get_by_role("button", name="Afslut mødet").click()
    # A meeting dated on a later day is asked about first (the follow-ups here are).
    done = page.get_by_text("Mødet er afsluttet.")
    question = page.get_by_role("alert").filter(has_text="Er det holdt allerede?")
    expect(done.or_(question)).to_be_visible()
    if question.is_visible():
        question.get_by_role("button", name="Ja, afslut mødet nu").click()
    expect(done).to_be_visible()


def open_meeting(page: Page, name: str, kind: str) -> None:
    page.get_by_role("button", name="Tilbage til møderne").click()
    page.get_by_role("button", name=re.compile(f"{name} {kind}")).click()
    expect(page.get_by_role("heading", name=kind)).to_be_visible()


def test_a_whole_course_from_opening_to_closing(
    browser: Browser, page: Page, live_server: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:5]
    name = f"Ida{tag}"
    mother = f"maria.{tag}@example.net"
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    # Open the course: a new child with two custody holders, and the start meeting.
    page.get_by_role("button", name="Nyt trivselsforløb").click()
    page.get_by_label("Fornavn").fill(name)
    page.get_by_label("Efternavn").fill("Holm")
    page.get_by_label("Dagtilbud eller skole").select_option(label="Solsikken")
    page.get_by_label("Fødselsdato").fill("2021-04-09")  # asked for since issue 23
    parents = (("Maria Holm", "mor", mother), ("Morten Holm", "far", f"morten.{tag}@example.net"))
    for i, (full, relation, email) in enumerate(parents, start=1):
        box = page.get_by_role("group", name=f"Forælder {i}")
        box.get_by_label("Navn").fill(full)
        box.get_by_label("Relation (fx mor, far)").fill(relation)
        box.get_by_label("E-mail").fill(email)
    page.get_by_label("Sårbar trivsel").check()
    page.get_by_label("Hvad er bekymringen?").fill("Ida er stille og spiser ikke")
    # In the browser's zone; never tomorrow, which would make ending it ask "holdt allerede?".
    start = soon_today().astimezone().replace(second=0, microsecond=0, tzinfo=None)
    page.get_by_label("Opstartsmødet: tid").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Opstartsmødet: sted").fill("Solsikken")
    page.get_by_role("button", name="Opret forløbet").click()
    expect(page.get_by_role("heading", name="Opstartsmøde")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Maria Holm: mangler")).to_be_visible()
    expect(page.get_by_text("møde 1 af 5")).to_be_visible()
    # The resource assessment is attached and shared with the parents.
    document = tmp_path / "ressourcevurdering.pdf"
    document.write_bytes(plain_pdf("Ressourcevurdering"))
    documents = page.get_by_role("region", name="Dokumenter")
    documents.get_by_label("Fil (PDF, JPEG eller PNG)").set_input_files(document)
    documents.get_by_label("Titel").fill("Ressourcevurdering")
    documents.get_by_label("Del med forældrene").check()
    documents.get_by_role("button", name="Tilføj dokument").click()
    expect(documents.get_by_role("link", name="Ressourcevurdering")).to_be_visible()
    # The agenda letter goes to both parents, asking for the missing consent.
    page.get_by_role("button", name="Send dagsordenen til forældrene").click()
    expect(page.get_by_text("Dagsordenen er sendt til 2 forældre.")).to_be_visible()
    link = LINK.search(newest_message(mother))  # the operator's copy (flask outbox print)
    assert link and "?to=consent" in link.group(0)
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    try:
        mobile = phone.new_page()
        target = urlsplit(link.group(0))
        mobile.goto(f"{live_server}{target.path}?{target.query}")
        mobile.get_by_role("button", name="Åbn på denne telefon").click()
        expect(mobile.get_by_text("Du er blevet bedt om dit samtykke.")).to_be_visible()
        mobile.get_by_role("button", name="Giv samtykke").click()
        expect(mobile.get_by_text("Dit svar er gemt.")).to_be_visible()
        mobile.goto(f"{live_server}/p/attachments")
        expect(mobile.get_by_role("link", name="Ressourcevurdering")).to_be_visible()
    finally:
        phone.close()
    page.get_by_role("button", name="Send nu").click()
    expect(page.get_by_text("Maria Holm: givet")).to_be_visible(timeout=30_000)
    # The father gives his consent at the table: recorded on the tablet.
    page.get_by_role("button", name="Morten Holm har givet samtykke").click()
    page.get_by_role("dialog").get_by_role("button", name="Registrér samtykket").click()
    expect(page.get_by_text("Morten Holm: givet")).to_be_visible()
    # The start meeting, then the follow-up, then the closing meeting.
    page.get_by_label("Ny note i «Det vi vil se ske»").fill(f"Ida spiser frokost {tag}")
    page.get_by_label("Ny note i «Det vi vil se ske»").press("Enter")
    finish_meeting(page, start + timedelta(days=14))
    open_meeting(page, name, "Opfølgningsmøde")
    expect(page.get_by_text("møde 2 af 5")).to_be_visible()
    finish_meeting(page, start + timedelta(days=28), next_is_closing=True)
    open_meeting(page, name, "Afslutningsmøde")
    finish_meeting(page, None)
    synced(page)
    expect(page.get_by_text("Forløbet er afsluttet")).to_be_visible(timeout=30_000)
    # The server agrees, and the follow-up tasks were made for each meeting.
    api = api_session(live_server, "familie@example.org")
    course = next(
        c
        for c in ok(api.get(f"{live_server}/api/courses", timeout=30))
        if c["reason"] == "Ida er stille og spiser ikke"
    )
    assert course["status"] == "closed" and course["concern_level"] == "vulnerable"
    meetings = ok(api.get(f"{live_server}/api/courses/{course['id']}/meetings", timeout=30))
    assert [m["kind"] for m in sorted(meetings, key=lambda m: m["starts_at"])] == [
        "start",
        "follow_up",
        "closing",
    ]
    assert all(m["status"] == "finished" for m in meetings)
    consents = ok(api.get(f"{live_server}/api/courses/{course['id']}/consents", timeout=30))
    assert sorted((c["status"], c["channel"]) for c in consents) == [
        ("granted", "in_person"),
        ("granted", "phone"),
    ]
    tasks = ok(api.get(f"{live_server}/api/courses/{course['id']}/tasks", timeout=30))
    assert sum(t["kind"] == "send_report" for t in tasks) == 3
    # The tasks are on the start page of the family unit.
    page.get_by_role("button", name="Tilbage til møderne").click()
    expect(
        page.get_by_role("region", name="Mine opgaver").get_by_text(
            re.compile(f"{name}: Udgiv rapporten")
        )
    ).to_have_count(3)
