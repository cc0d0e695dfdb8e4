"""The admin's screens in real Chromium: staff accounts and institutions through the API they
manage, and the outbox's delivery state. Each change is checked where it matters: on the
colleague's own tablet (signed out by a change of role, password or by deactivation). A new
account and a change of access take effect when the second admin approves them; the
colleague chooses her own password through the e-mailed link."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, Dialog, Locator, Page, expect

from tests.browser.report_world import (
    fill_and_publish,
    invitation_link,
    new_course,
    newest_message,
)
from tests.browser.steps import serious_violations, sign_in

PASSWORD_LINK = re.compile(r"/adgangskode#[A-Za-z0-9_\-]+")  # on PUBLIC_URL, not this port


def accept(dialog: Dialog) -> None:
    dialog.accept()


def open_section(page: Page, name: str) -> Locator:
    page.get_by_role("navigation", name="Administration").get_by_role("button", name=name).click()
    return page.get_by_role("region", name=name)


def signed_out(tablet: Page) -> None:
    """The colleague's tablet, reloaded, asks for a sign-in: the session has ended."""
    tablet.reload()
    expect(tablet.get_by_role("heading", name="Log ind")).to_be_visible()


def approve_as_admin2(browser: Browser, live_server: str, title: str) -> None:
    """The second admin opens Godkendelser and approves the change named ``title``."""
    context = browser.new_context(locale="da-DK")
    try:
        other = context.new_page()
        other.goto(live_server)
        sign_in(other, "admin2@example.org")
        section = open_section(other, "Godkendelser")
        item = section.get_by_role("listitem", name=title)
        item.get_by_role("button", name="Godkend").click()
        expect(section.get_by_role("status")).to_have_text("Godkendt.")
        expect(section.get_by_role("listitem", name=title)).to_have_count(0)
    finally:
        context.close()


def choose_password(tablet: Page, base: str, email: str, password: str) -> None:
    """The colleague opens the newest link e-mailed to them and chooses a password."""
    found = PASSWORD_LINK.search(newest_message(email))
    assert found, "no password link was sent"
    tablet.goto(base + found.group(0))
    tablet.get_by_label("Ny adgangskode (mindst 10 tegn)").fill(password)
    tablet.get_by_label("Skriv adgangskoden igen").fill(password)
    tablet.get_by_role("button", name="Gem adgangskoden").click()
    expect(tablet.get_by_role("status")).to_have_text(
        "Din adgangskode er gemt. Du kan logge ind nu."
    )
    assert "#" not in tablet.url  # the secret left the address bar
    tablet.get_by_role("button", name="Gå til log ind").click()


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

    # A new educator: the institution is required; no password (the person chooses it).
    form = users.get_by_role("form", name="Ny bruger")
    expect(form.get_by_label(re.compile("Adgangskode"))).to_have_count(0)
    form.get_by_label("Navn").fill(name)
    form.get_by_label("E-mail").fill(email)
    form.get_by_label("Rolle").select_option(label="Pædagog/lærer")
    form.get_by_role("button", name="Opret bruger").click()
    expect(form.get_by_text("Vælg dagtilbud eller skole: en pædagog")).to_be_visible()
    form.get_by_label("Dagtilbud eller skole").select_option(label="Solsikken")
    form.get_by_role("button", name="Opret bruger").click()
    expect(form.get_by_role("status")).to_contain_text(f"{name} er oprettet og venter")
    row = users.get_by_role("listitem", name=name)
    expect(row).to_contain_text("Pædagog/lærer · Solsikken · Venter på godkendelse")
    # She may not approve her own request; the screen says why.
    approvals = open_section(page, "Godkendelser")
    mine = approvals.get_by_role("listitem", name=f"Ny konto: {name}")
    expect(mine.get_by_role("button", name="Godkend")).to_have_count(0)
    expect(mine).to_contain_text("en anden administrator skal godkende den")
    assert serious_violations(page) == [], "approvals"
    approve_as_admin2(browser, live_server, f"Ny konto: {name}")
    users = open_section(page, "Brugere")
    row = users.get_by_role("listitem", name=name)
    expect(row).to_contain_text("Pædagog/lærer · Solsikken · Aktiv")

    context = browser.new_context(locale="da-DK")
    try:
        tablet = context.new_page()
        password = f"mit-eget-{tag}"
        choose_password(tablet, live_server, email, password)
        sign_in(tablet, email, password)
        expect(tablet.get_by_text(f"Logget ind som {name}")).to_be_visible()

        # A new role waits for the second admin; approved, it signs the colleague out.
        row.get_by_role("button", name=f"Ret {name}").click()
        editor = row.get_by_role("group", name=f"Ret {name}")
        editor.get_by_label("Rolle").select_option(label="PPR-psykolog")
        editor.get_by_label("Dagtilbud eller skole").select_option(label="Ingen")
        editor.get_by_role("button", name="Bed om ændringen").click()
        expect(editor.get_by_role("status")).to_contain_text("venter på, at en anden administrator")
        expect(row).to_contain_text("Pædagog/lærer · Solsikken · Aktiv")
        expect(row).to_contain_text("Venter på godkendelse: Rolle: Pædagog/lærer → PPR-psykolog")
        approve_as_admin2(browser, live_server, f"Ændring af {name}")
        signed_out(tablet)
        sign_in(tablet, email, password)
        expect(tablet.get_by_text("(PPR-psykolog)")).to_be_visible()
        # The colleague sees who changed her account and who approved it.
        tablet.get_by_role("button", name="Min konto").click()
        history = tablet.get_by_role("region", name="Ændringer af din konto")
        expect(history.get_by_role("listitem").filter(has_text="Godkendt").first).to_contain_text(
            "Bo Admin"
        )
        expect(history).to_contain_text("Ændring ønsket")

        # A new password: the admin sends a link, the colleague chooses; the old one is dead.
        page.reload()
        users = page.get_by_role("region", name="Brugere")
        row = users.get_by_role("listitem", name=name)
        row.get_by_role("button", name=f"Ret {name}").click()
        editor = row.get_by_role("group", name=f"Ret {name}")
        editor.get_by_role("button", name="Send link til ny adgangskode").click()
        expect(editor.get_by_role("status")).to_contain_text(f"er sendt til {email}")
        new_password = f"nyt-kodeord-{tag}"
        choose_password(tablet, live_server, email, new_password)
        sign_in(tablet, email, password)
        expect(tablet.get_by_role("alert")).to_have_text("Forkert e-mail eller adgangskode.")
        sign_in(tablet, email, new_password)
        expect(tablet.get_by_text(f"Logget ind som {name}")).to_be_visible()

        # Deactivated: out at once; reactivation waits for the second admin.
        editor.get_by_role("button", name="Deaktivér").click()
        expect(row).to_contain_text("Deaktiveret")
        signed_out(tablet)
        sign_in(tablet, email, new_password)
        expect(tablet.get_by_role("alert")).to_have_text("Forkert e-mail eller adgangskode.")
        editor.get_by_role("button", name="Bed om genaktivering").click()
        expect(editor.get_by_role("status")).to_contain_text("venter")
        approve_as_admin2(browser, live_server, f"Ændring af {name}")
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
    expect(form.get_by_role("alert")).to_have_text("Der er allerede en institution med dette navn.")
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
        "Institutionen har stadig medarbejdere eller børn og kan ikke slettes."
    )
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
