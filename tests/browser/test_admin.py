"""The admin's screens in real Chromium: staff accounts and institutions through the API they
manage, and the outbox's delivery state. Each change is checked where it matters: on the
colleague's own tablet (signed out by a change of role, password or by deactivation)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, Dialog, Locator, Page, expect

from tests.browser.conftest import sign_in
from tests.browser.report_world import fill_and_publish, invitation_link, new_course
from tests.browser.test_accessibility import serious_violations


def accept(dialog: Dialog) -> None:
    dialog.accept()


def open_section(page: Page, name: str) -> Locator:
    page.get_by_role("navigation", name="Administration").get_by_role("button", name=name).click()
    return page.get_by_role("region", name=name)


def signed_out(tablet: Page) -> None:
    """The colleague's tablet, reloaded, asks for a sign-in: the session has ended."""
    tablet.reload()
    expect(tablet.get_by_role("heading", name="Log ind")).to_be_visible()


def test_an_admin_manages_a_colleagues_account(
    browser: Browser, page: Page, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    name, email = f"Bo Test{tag}", f"bo.{tag}@example.org"
    page.on("dialog", accept)  # deactivation asks first
    page.goto(live_server)
    sign_in(page, "admin@example.org")
    users = page.get_by_role("region", name="Brugere")
    expect(users.get_by_role("listitem", name="Peter Pædagog")).to_be_visible()
    # Her own role and institution are not hers to change.
    users.get_by_role("button", name="Ret Anna Admin").click()
    own = users.get_by_role("group", name="Ret Anna Admin")
    expect(own.get_by_label("Rolle")).to_be_disabled()
    expect(own.get_by_text("kan kun ændres af en anden administrator")).to_be_visible()
    expect(own.get_by_role("button", name="Deaktivér")).to_have_count(0)
    own.get_by_role("button", name="Luk").click()
    assert serious_violations(page) == [], "users"

    # A new educator: the institution is required, the password suggested.
    form = users.get_by_role("form", name="Ny bruger")
    form.get_by_label("Navn").fill(name)
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Rolle").select_option(label="Pædagog/lærer")
    form.get_by_role("button", name="Opret bruger").click()
    expect(form.get_by_text("Vælg dagtilbud eller skole: en pædagog")).to_be_visible()
    form.get_by_label("Dagtilbud eller skole").select_option(label="Solsikken")
    form.get_by_role("button", name="Foreslå en adgangskode").click()
    password = form.get_by_label("Adgangskode (mindst 10 tegn)").input_value()
    assert len(password) == 16
    form.get_by_role("button", name="Opret bruger").click()
    expect(form.get_by_role("status")).to_have_text(f"{name} er oprettet.")
    row = users.get_by_role("listitem", name=name)
    expect(row).to_contain_text("Pædagog/lærer · Solsikken · Aktiv")

    context = browser.new_context(locale="da-DK")
    try:
        tablet = context.new_page()
        tablet.goto(live_server)
        sign_in(tablet, email, password)
        expect(tablet.get_by_text(f"Logget ind som {name}")).to_be_visible()

        # A new role signs the colleague out everywhere.
        row.get_by_role("button", name=f"Ret {name}").click()
        editor = row.get_by_role("group", name=f"Ret {name}")
        editor.get_by_label("Rolle").select_option(label="PPR-psykolog")
        editor.get_by_label("Dagtilbud eller skole").select_option(label="Ingen")
        editor.get_by_role("button", name="Gem rolle og institution").click()
        expect(editor.get_by_role("status")).to_contain_text("logget ud på alle enheder")
        expect(row).to_contain_text("PPR-psykolog · Ingen · Aktiv")
        signed_out(tablet)
        sign_in(tablet, email, password)
        expect(tablet.get_by_text("(PPR-psykolog)")).to_be_visible()

        # A new password: signed out, the old one no longer works, the new one does.
        new_password = f"nyt-kodeord-{tag}"
        editor.get_by_label("Ny adgangskode (mindst 10 tegn)").fill("kort")
        editor.get_by_role("button", name="Sæt ny adgangskode").click()
        expect(editor.get_by_text("Adgangskoden skal have mindst 10 tegn.")).to_be_visible()
        editor.get_by_label("Ny adgangskode (mindst 10 tegn)").fill(new_password)
        editor.get_by_role("button", name="Sæt ny adgangskode").click()
        expect(editor.get_by_role("status")).to_have_text(
            "Adgangskoden er skiftet. Brugeren er logget ud på alle enheder.")
        signed_out(tablet)
        sign_in(tablet, email, password)
        expect(tablet.get_by_role("alert")).to_have_text("Forkert e-mail eller adgangskode.")
        sign_in(tablet, email, new_password)
        expect(tablet.get_by_text(f"Logget ind som {name}")).to_be_visible()

        # Deactivated: out at once and cannot sign in; reactivated: can sign in again.
        editor.get_by_role("button", name="Deaktivér").click()
        expect(row).to_contain_text("Deaktiveret")
        signed_out(tablet)
        sign_in(tablet, email, new_password)
        expect(tablet.get_by_role("alert")).to_have_text("Forkert e-mail eller adgangskode.")
        editor.get_by_role("button", name="Genaktivér").click()
        expect(row).to_contain_text("PPR-psykolog · Ingen · Aktiv")
        tablet.get_by_role("button", name="Log ind").click()
        expect(tablet.get_by_text(f"Logget ind som {name}")).to_be_visible()
    finally:
        context.close()


def test_an_admin_manages_institutions(page: Page, live_server: str) -> None:
    tag = uuid.uuid4().hex[:6]
    page.on("dialog", accept)  # deleting asks first
    page.goto(live_server)
    sign_in(page, "admin@example.org")
    section = open_section(page, "Institutioner")
    solsikken = section.get_by_role("listitem", name="Solsikken")
    expect(solsikken).to_contain_text(re.compile(r"Dagtilbud · \d+ medarbejder"))
    form = section.get_by_role("form", name="Ny institution")
    form.get_by_label("Navn").fill(f"Bakkehuset {tag}")
    form.get_by_label("Slags").select_option(label="Skole")
    form.get_by_role("button", name="Opret institution").click()
    created = section.get_by_role("listitem", name=f"Bakkehuset {tag}")
    expect(created).to_contain_text("Skole · 0 medarbejdere")
    # The same name twice is refused, on the field.
    form.get_by_label("Navn").fill(f"Bakkehuset {tag}")
    form.get_by_role("button", name="Opret institution").click()
    expect(form.get_by_role("alert")).to_have_text(
        "Der er allerede en institution med dette navn.")
    assert serious_violations(page) == [], "institutions"
    # Renamed.
    created.get_by_role("button", name=f"Omdøb Bakkehuset {tag}").click()
    created.get_by_label("Nyt navn").fill(f"Bakkehøj {tag}")
    created.get_by_role("button", name="Gem navnet").click()
    renamed = section.get_by_role("listitem", name=f"Bakkehøj {tag}")
    expect(renamed).to_be_visible()
    # An institution with staff and children stays; an empty one can go.
    solsikken.get_by_role("button", name="Slet Solsikken").click()
    expect(section.get_by_role("alert").filter(has_text="har stadig")).to_have_text(
        "Institutionen har stadig medarbejdere eller børn og kan ikke slettes.")
    expect(solsikken).to_be_visible()
    renamed.get_by_role("button", name=f"Slet Bakkehøj {tag}").click()
    expect(section.get_by_role("status")).to_have_text(f"Bakkehøj {tag} er slettet.")
    expect(section.get_by_role("listitem", name=f"Bakkehøj {tag}")).to_have_count(0)


def test_an_admin_sees_that_messages_go_out_but_not_what_they_say(
    page: Page, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"Ea{tag}"
    fill_and_publish(live_server, new_course(live_server, name), tag)
    link = invitation_link(live_server, f"maria.{name.lower()}@example.net")
    page.goto(live_server)
    sign_in(page, "admin@example.org")
    outbox = open_section(page, "Udgående beskeder")
    expect(outbox.get_by_role("cell", name="Ikke sendt (ingen mailserver)").first).to_be_visible()
    text = outbox.inner_text()
    for secret in (name, "example.net", "/p/", link.rsplit("/", 1)[1]):
        assert secret not in text
    assert serious_violations(page) == [], "outbox"
