"""A new version of the app is offered, and never forced while changes are unsent."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.browser.live import DEMO_PASSWORD, copy_of_dist
from tests.browser.steps import sign_in, wait_until_installed
from tests.harness import gunicorn, migrated_app, migrated_database_url, settings


def test_update_is_offered_only_when_everything_is_sent(browser: Browser, tmp_path: Path) -> None:
    dist = copy_of_dist(tmp_path)  # this test changes the app, so it serves its own copy
    env = settings(tmp_path, migrated_database_url(tmp_path, "update"), PWA_DIST=str(dist))
    migrated_app(env, demo_password=DEMO_PASSWORD)
    with gunicorn(env) as base:
        context = browser.new_context()
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.goto(base)
        sign_in(page, "familie@example.org")
        expect(page.get_by_role("status").first).to_contain_text("Alt er sendt")
        wait_until_installed(page)
        # A new release: the service worker's bytes change.
        worker = dist / "sw.js"
        worker.write_text(worker.read_text() + "\n// release 2\n")
        context.set_offline(True)
        page.get_by_role("button", name="Emma Opstartsmøde", exact=False).click()
        field = page.get_by_label("Ny note i «Det der fungerer»")
        field.fill("Skrevet før opdateringen")
        field.press("Enter")
        # Keep it unsent a while: the route is in place before the network comes back, or
        # the tablet could send the note in between.
        page.route("**/api/sync/push", lambda route: route.abort())
        context.set_offline(False)
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        banner = page.get_by_role("status").filter(has_text="En ny version")
        expect(banner).to_contain_text("venter, til alle ændringer er sendt")
        expect(banner.get_by_role("button", name="Opdatér nu")).to_have_count(0)
        page.unroute("**/api/sync/push")
        page.get_by_role("button", name="Send nu").click()
        # The update reloads the page; wait for that navigation itself, or the
        # checks below could run against the old page while it is torn down.
        with page.expect_navigation():
            banner.get_by_role("button", name="Opdatér nu").click()
        page.wait_for_load_state()
        expect(page.get_by_text("Skrevet før opdateringen")).to_be_visible()
        assert "release 2" in page.evaluate("fetch('/sw.js').then(r => r.text())")
        expect(page.get_by_role("status").filter(has_text="En ny version")).to_have_count(0)
        context.close()
