"""The tablet shows how each letter reached its guardian, beside the agenda: sent by Digital
Post, then sent as a paper letter (fjernprint) once the receipt says so, and why a guardian
without a CPR number got nothing. gunicorn with LETTERS=digital_post and its default
DIGITAL_POST_CHANNEL_CHOICE=automatic against the local fake of Serviceplatformen
(tests/server/serviceplatformen.py), where the mother is exempt from Digital Post so the fake
chooses paper; the receipt it makes is pushed by a fake Beskedfordeler
(tests/server/beskedfordeler_fake.py), driven in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import set_cpr
from server.models import Child, Guardian
from tests.browser.live import DEMO_PASSWORD, copy_of_dist
from tests.browser.steps import open_demo_meeting, sign_in
from tests.harness import gunicorn, migrated_app, migrated_database_url
from tests.harness import settings as app_settings
from tests.server.beskedfordeler_fake import FakeBeskedfordeler, status_code
from tests.server.serviceplatformen import FakeServiceplatformen, serviceplatformen, settings

MOTHER = "2103851234"


@pytest.fixture(scope="module")
def digital_post(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, FakeServiceplatformen, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("letters")
    with serviceplatformen("29189846") as fake:
        fake.exempt = {MOTHER}
        env = app_settings(
            tmp,
            migrated_database_url(tmp, "letters"),
            SECRET_KEY="browser-test-secret",
            PWA_DIST=str(copy_of_dist(tmp)),
            LOGIN_RATE_LIMIT="1000 per minute",
            LOGIN_FAILURE_LIMIT="1000 per hour",
            **settings(fake, tmp, "automatic"),
        )
        app = migrated_app(env, demo_password=DEMO_PASSWORD)
        with app.app_context():
            # Only Emma's mother has a CPR number in Trivsel.
            emma = select(Child.id).where(Child.first_name == "Emma").scalar_subquery()
            for guardian in db.session.scalars(select(Guardian).where(Guardian.child_id == emma)):
                set_cpr(guardian, Cpr(MOTHER) if guardian.relation == "mor" else None)
            db.session.commit()
            db.engine.dispose()
        with gunicorn(env) as base:
            yield base, fake, env


def test_the_tablet_shows_each_letters_delivery(
    page: Page, digital_post: tuple[str, FakeServiceplatformen, dict[str, Any]]
) -> None:
    base, fake, _env = digital_post
    page.goto(base)
    sign_in(page, "familie@example.org")
    open_demo_meeting(page)
    page.get_by_role("button", name="Send dagsordenen til forældrene").click()
    expect(page.get_by_text("Dagsordenen er sendt til 1 forælder.")).to_be_visible()
    letters = page.get_by_role("region", name="Breve til forældrene")
    expect(letters.get_by_text("Sendt med Digital Post")).to_be_visible(timeout=30_000)
    expect(letters.get_by_text("intet CPR-nummer")).to_be_visible()
    assert [m.recipient for m in fake.received] == [MOTHER]
    # Exempt from Digital Post: Digital Post chose paper for the mother's letter (fjernprint),
    # with the print Trivsel sent beside the message.
    assert fake.received[0].kombi_valg == "Automatisk Valg"
    assert fake.received[0].channel == "Fysisk Post"
    # The Beskedfordeler pushes the receipt to the served app, through the proxy's secret.
    pushed = FakeBeskedfordeler(base).push(fake.receipt(fake.received[0]))
    assert pushed.status_code == 200 and status_code(pushed) == "20", pushed.text
    page.get_by_role("button", name="Tilbage til møderne").click()
    open_demo_meeting(page)
    letters = page.get_by_role("region", name="Breve til forældrene")
    expect(letters.get_by_text("Sendt som papirbrev")).to_be_visible(timeout=30_000)
