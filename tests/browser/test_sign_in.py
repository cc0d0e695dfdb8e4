"""Signing in through the real PWA in real Chromium, online and offline."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.live import DEMO_PASSWORD
from tests.browser.steps import sign_in, wait_until_installed


def test_family_unit_worker_signs_in_stays_signed_in_and_signs_out(
    page: Page, live_server: str
) -> None:
    page.goto(live_server)
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    sign_in(page, "familie@example.org", DEMO_PASSWORD)
    expect(page.get_by_text("Logget ind som Frida Familieindgang")).to_be_visible()
    expect(page.get_by_text("(Familieindgangen)")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Logget ind som Frida Familieindgang")).to_be_visible()
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()


def test_wrong_password_is_explained_in_danish(page: Page, live_server: str) -> None:
    page.goto(live_server)
    sign_in(page, "paedagog2@example.org", "not the password")
    expect(page.get_by_role("alert")).to_have_text("Forkert e-mail eller adgangskode.")
    expect(page.get_by_label("E-mail")).to_have_value("paedagog2@example.org")


def test_invalid_email_is_marked_on_the_field(page: Page, live_server: str) -> None:
    page.goto(live_server)
    sign_in(page, "ikke-en-mail", "x")
    expect(page.get_by_role("alert")).to_have_text("Ret de markerede felter.")
    expect(page.get_by_text("Skriv en gyldig e-mailadresse")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_attribute("aria-invalid", "true")


def test_app_starts_offline_once_installed(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    page.goto(live_server)
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    wait_until_installed(page)
    context.set_offline(True)
    page.goto(f"{live_server}/moeder/123")
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    sign_in(page, "familie@example.org", DEMO_PASSWORD)
    expect(page.get_by_role("alert")).to_have_text(re.compile("Ingen forbindelse"))
    context.set_offline(False)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_text("Logget ind som Frida Familieindgang")).to_be_visible()


def test_manifest_and_caching_rules_over_http(page: Page, live_server: str) -> None:
    manifest = page.request.get(f"{live_server}/manifest.webmanifest")
    assert manifest.ok
    assert manifest.json()["lang"] == "da"
    shell = page.request.get(f"{live_server}/")
    assert "no-cache" in shell.headers["cache-control"]
    worker = page.request.get(f"{live_server}/sw.js")
    assert "no-cache" in worker.headers["cache-control"]
    asset = re.search(r'src="(/assets/[^"]+\.js)"', shell.text())
    assert asset
    cached = page.request.get(f"{live_server}{asset.group(1)}")
    assert "immutable" in cached.headers["cache-control"]


def test_a_throttled_sign_in_says_how_long_to_wait_and_counts_down(
    page: Page, live_server: str
) -> None:
    """After five failures on an account the server asks this address to wait (longer after
    each further failure); the screen says so in Danish, keeps the button off for that long,
    then lets the user try again."""
    email = f"ukendt-{uuid.uuid4().hex[:8]}@example.org"  # its own account: nobody else waits
    page.goto(live_server)
    alert = page.get_by_role("alert")
    sign_in(page, email, "gæt")
    expect(alert).to_have_text("Forkert e-mail eller adgangskode.")
    statuses = []
    for _ in range(10):  # the waits grow (1, 2, 4, 8 s): soon longer than a click takes
        with page.expect_response(re.compile(r"/api/auth/login$")) as answer:
            page.get_by_role("button", name="Log ind").click()
        statuses.append(answer.value.status)
        if statuses[-1] == 429:
            break
        expect(alert).to_have_text("Forkert e-mail eller adgangskode.")
    assert statuses[-1] == 429 and statuses.count(401) >= 4, statuses
    expect(alert).to_have_text(
        re.compile(r"For mange forsøg på at logge ind\. Vent \d+ sekund(er)?, og prøv igen\.")
    )
    expect(page.get_by_role("button", name="Log ind")).to_be_disabled()
    expect(alert).to_have_text("Du kan prøve igen nu.", timeout=20_000)
    expect(page.get_by_role("button", name="Log ind")).to_be_enabled()
