"""CPR numbers in the office's form ("Nyt trivselsforløb"): checked as the server checks
them, sent over their own route, shown masked by the server, and never in the tablet's store
(issue 20)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.live import api_session
from tests.browser.steps import sign_in, synced

CHILD, MOTHER = "0103204234", "1508881234"

# Every object store of the tablet's database, as text (photos' bytes are not text: {}).
# Through the app: the rows on disk are sealed, and the numbers must not be in them opened.
STORE_TEXT = "async () => globalThis.__TRIVSEL_TEST_HOOKS__.tables()"


def test_a_cpr_number_is_sent_once_and_never_kept_on_the_tablet(
    page: Page, live_server: str
) -> None:
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    page.get_by_role("button", name="Nyt trivselsforløb").click()
    page.get_by_label("Fornavn").fill("Cpr")
    page.get_by_label("Efternavn").fill("Testbarn")
    page.get_by_label("Dagtilbud eller skole").select_option(label="Solsikken")
    page.locator("#nc-g0-name").fill("Mor Testbarn")
    page.locator("#nc-g0-rel").fill("mor")
    page.get_by_label("Fødselsdato").fill("2020-03-01")  # asked for since issue 23
    page.locator("#nc-cpr").fill("310220-4234")  # 31 February: no date
    page.locator("#nc-g0-cpr").fill(f"{MOTHER[:6]}-{MOTHER[6:]}")
    page.locator("#nc-start").fill("2026-12-21T10:00")
    page.get_by_label("Opstartsmødet: sted").fill("Solsikken")
    page.get_by_role("button", name="Opret forløbet").click()
    expect(page.locator("#nc-cpr-error")).to_contain_text("Et CPR-nummer er 10 cifre")
    page.locator("#nc-cpr").fill(CHILD)
    page.get_by_role("button", name="Opret forløbet").click()
    expect(page.get_by_role("heading", name="Tavlen", exact=True)).to_be_visible()
    synced(page)
    api = api_session(live_server, "familie@example.org")
    child = next(
        c
        for c in api.get(f"{live_server}/api/children", timeout=30).json()
        if c["first_name"] == "Cpr"
    )
    masked = api.get(f"{live_server}/api/children/{child['id']}/cpr", timeout=30).json()
    assert masked == {"cpr_masked": "010320-XXXX"}
    guardians = api.get(f"{live_server}/api/children/{child['id']}/guardians", timeout=30).json()
    assert [g["name"] for g in guardians] == ["Mor Testbarn"]
    mother = api.get(f"{live_server}/api/guardians/{guardians[0]['id']}/cpr", timeout=30).json()
    assert mother == {"cpr_masked": "150888-XXXX"}
    stored = page.evaluate(STORE_TEXT)
    assert "Testbarn" in stored  # the pull brought the new child and mother
    for number in (CHILD, MOTHER):
        assert number not in stored and f"{number[:6]}-{number[6:]}" not in stored
