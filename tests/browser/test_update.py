"""A new version of the app is offered, and never forced while changes are unsent."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import Browser, expect

from server import create_app
from server.demo import load_demo
from server.extensions import db
from tests.browser.conftest import DEMO_PASSWORD, _copy_of_dist, sign_in, wait_until_installed
from tests.dbutil import fresh_database_url
from tests.harness import gunicorn


def test_update_is_offered_only_when_everything_is_sent(browser: Browser, tmp_path: Path) -> None:
    dist = _copy_of_dist(tmp_path)  # this test changes the app, so it serves its own copy
    env = {"TRIVSEL_ENV": "testing", "DATABASE_URL": fresh_database_url(tmp_path, "update"),
           "SECRET_KEY": "update-secret", "BLOB_DIR": str(tmp_path / "blobs"),
           "PWA_DIST": str(dist)}
    app = create_app(dict(env))
    with app.app_context():
        upgrade()
        load_demo(DEMO_PASSWORD)
        db.engine.dispose()
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
        assert "release 2" in page.evaluate(
            "fetch('/sw.js').then(r => r.text())")
        expect(page.get_by_role("status").filter(has_text="En ny version")).to_have_count(0)
        context.close()
