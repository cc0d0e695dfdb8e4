"""On a phone (issue 21, points 3 and 7): the report says who sent it and whom to call, a hard
word opens its explanation without JavaScript, and the photo page has a main heading and
passes axe's WCAG 2.1 A and AA rules (and its best practices) at every impact."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from server.config import DEMO_MUNICIPALITY
from server.demo import DEMO_CONTACT
from tests.browser.report_world import fill_and_publish, invitation_link, new_course, ok
from tests.browser.steps import AXE, sign_in

LEADER_PHONE = DEMO_CONTACT["familie@example.org"]["work_phone"]
LEADER_EMAIL = DEMO_CONTACT["familie@example.org"]["work_email"]


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations of any impact, WCAG 2.1 A and AA and the best practices (the photo
    page's missing h1 was one of those: page-has-heading-one, moderate)."""
    page.evaluate("source => { (0, eval)(source); }", AXE.read_text())
    result: dict[str, Any] = page.evaluate(
        "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


@pytest.fixture
def published(live_server: str) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:6]
    name = f"Ida{tag}"
    world = new_course(live_server, name)
    report = fill_and_publish(live_server, world, tag)
    snapshot = ok(
        world["api"].get(f"{live_server}/api/reports/{report['id']}/snapshot", timeout=30)
    )
    meeting = f"{live_server}/p/reports/{world['meeting']['id']}"
    return {
        # The link names PUBLIC_URL; the phone reaches this test's server.
        "link": live_server
        + urlsplit(invitation_link(live_server, f"maria.{name.lower()}@example.net")).path,
        "report": meeting,
        "photo": f"{meeting}/photos/{snapshot['report']['photos'][0]['id']}/view",
    }


def _phone(browser: Browser, javascript: bool = True) -> BrowserContext:
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
        java_script_enabled=javascript,
    )
    ctx.set_default_timeout(15_000)
    return ctx


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    ctx = _phone(browser)
    yield ctx.new_page()
    ctx.close()


def _open(page: Page, link: str) -> None:
    page.goto(link)
    page.get_by_role("button", name="Åbn på denne telefon").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_report_names_its_sender_and_the_leader_to_call(
    phone: Page, published: dict[str, Any]
) -> None:
    _open(phone, published["link"])
    phone.goto(published["report"])
    banner = phone.locator("header#municipality")
    expect(banner).to_contain_text(DEMO_MUNICIPALITY["MUNICIPALITY_NAME"])
    expect(banner.get_by_role("img")).to_have_attribute("alt", "Logo for Trivsby Kommune")
    assert banner.get_by_role("img").evaluate("img => img.naturalWidth") > 0  # it loaded
    footer = phone.locator("footer#sender")
    expect(footer.get_by_role("heading")).to_have_text("Vil du spørge om noget?")
    expect(footer).to_contain_text("Frida Familieindgang")
    call = footer.get_by_role("link", name=LEADER_PHONE)
    expect(call).to_have_attribute("href", "tel:" + LEADER_PHONE.replace(" ", ""))
    expect(footer.get_by_role("link", name=LEADER_EMAIL)).to_be_visible()
    expect(footer.get_by_role("link", name="Sådan passer vi på jeres data")).to_have_attribute(
        "href", DEMO_MUNICIPALITY["MUNICIPALITY_PRIVACY_URL"]
    )


def test_the_photo_page_has_a_main_heading_and_passes_axe(
    phone: Page, published: dict[str, Any]
) -> None:
    _open(phone, published["link"])
    phone.goto(published["photo"])
    expect(phone.get_by_role("heading", level=1)).to_have_text("Billede af tavlen fra mødet")
    expect(phone.locator("#full")).to_be_visible()
    assert violations(phone) == []
    phone.goto(published["report"])
    expect(phone.get_by_role("heading", level=1)).to_be_visible()


def test_a_hard_word_explains_itself_without_javascript(
    browser: Browser, published: dict[str, Any]
) -> None:
    ctx = _phone(browser, javascript=False)
    try:
        page = ctx.new_page()
        _open(page, published["link"])
        page.goto(published["report"])
        explained = page.get_by_text("Det er et spørgsmål med et tal fra 0 til 10.")
        expect(explained).to_be_hidden()
        page.get_by_text("Hvad betyder skalaspørgsmålet?").click()
        expect(explained).to_be_visible()
    finally:
        ctx.close()


def test_the_check_catches_a_page_without_a_main_heading(
    phone: Page, published: dict[str, Any]
) -> None:
    """Proof that the axe check can fail: the photo page as it was, without its h1."""
    _open(phone, published["link"])
    phone.goto(published["photo"])
    phone.evaluate("document.querySelector('h1').remove()")
    assert "page-has-heading-one" in [v["id"] for v in violations(phone)]


def test_a_member_of_staff_sets_the_phone_parents_will_call(page: Page, live_server: str) -> None:
    """On the tablet, under "Min konto": a number that is no number is refused beside its field
    (the text stays); a real one is saved as parents will read it."""
    page.goto(live_server)
    sign_in(page, "ppr@example.org")
    page.get_by_role("button", name="Min konto").click()
    phone_field = page.get_by_label("Arbejdstelefon")
    phone_field.fill("123")
    page.get_by_label("Arbejdsmail").fill("poul@trivsby.kommune.example")
    page.get_by_role("button", name="Gem kontaktoplysninger").click()
    expect(page.get_by_text("Skriv et telefonnummer, fx 70 10 20 30")).to_be_visible()
    expect(phone_field).to_have_value("123")
    expect(phone_field).to_have_attribute("aria-invalid", "true")
    phone_field.fill("+45 70102040")
    page.get_by_role("button", name="Gem kontaktoplysninger").click()
    expect(page.get_by_role("status").filter(has_text="Gemt.")).to_be_visible()
    expect(phone_field).to_have_value("70 10 20 40")
    assert violations(page) == []
