"""The tablet signs in through the municipality's identity provider (issue 20): the real
redirect in Chromium, from the app to the local provider (oidc-provider-mock) and back, with
the app served by gunicorn as in production."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import create_engine, text

from server.auth.cli import dev_settings
from server.identity.dev_provider import running_provider
from tests.browser.live import DEMO_PASSWORD, copy_of_dist
from tests.browser.steps import COLUMNS, add_note, notes_on_server, open_demo_meeting, synced
from tests.harness import ROOT, free_port, gunicorn, migrated_app, migrated_database_url, settings


@dataclass
class LiveOidc:
    url: str
    issuer: str
    database_url: str


@pytest.fixture(scope="module")
def live_oidc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveOidc]:
    """gunicorn with the municipality's login pointed at the local provider."""
    if not (ROOT / "pwa" / "dist" / "index.html").is_file():
        pytest.fail("The PWA is not built: run 'make test' (it builds pwa/dist first).")
    tmp = tmp_path_factory.mktemp("live-oidc")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running_provider() as issuer:
        env = settings(
            tmp,
            migrated_database_url(tmp, "browser-oidc"),
            PWA_DIST=str(copy_of_dist(tmp)),
            PUBLIC_URL=base,
            LOGIN_RATE_LIMIT="1000 per minute",
            LOGIN_FAILURE_LIMIT="1000 per hour",
            **dev_settings(issuer),
        )
        migrated_app(env, DEMO_PASSWORD)
        with gunicorn(env, port=port) as served:
            assert served == base
            yield LiveOidc(base, issuer, env["DATABASE_URL"])


def sign_in_at_the_municipality(page: Page, sub: str) -> None:
    """From the app's sign-in screen, through the provider's page, back into the app."""
    page.get_by_role("link", name="Log ind med kommunens login").click()
    page.get_by_role("button", name=sub, exact=True).click()  # the provider's own page
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()


def _expire_all_sessions(database_url: str) -> None:
    """What a long offline meeting does to a sign-in: the server no longer knows it."""
    if database_url.startswith("postgresql://"):
        database_url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE auth_session SET revoked_at = CURRENT_TIMESTAMP"))
    engine.dispose()


def test_an_expired_session_keeps_the_queue_until_signing_in_again_at_the_municipality(
    context: BrowserContext, page: Page, live_oidc: LiveOidc
) -> None:
    """The variant of test_offline_meeting's test through the real redirect: the tablet
    leaves the app for the provider and comes back, and the note made offline under the
    expired session is still there and is sent once."""
    note = f"Efter kommunens login {uuid.uuid4().hex[:6]}"
    page.goto(live_oidc.url)
    sign_in_at_the_municipality(page, "entra-frida")
    synced(page)
    open_demo_meeting(page)
    context.set_offline(True)
    add_note(page, COLUMNS["next_steps"], note)
    _expire_all_sessions(live_oidc.database_url)
    context.set_offline(False)  # the app notices the network and sends by itself
    status = page.get_by_role("status")
    expect(status).to_contain_text("Log ind igen for at sende 1 ændring")
    status.get_by_role("button", name="Log ind").click()
    sign_in_at_the_municipality(page, "entra-frida")
    synced(page)
    assert notes_on_server(live_oidc.url).count(note) == 1


def test_a_member_of_staff_without_a_role_sees_whom_to_ask(page: Page, live_oidc: LiveOidc) -> None:
    page.goto(live_oidc.url)
    page.get_by_role("link", name="Log ind med kommunens login").click()
    page.get_by_role("button", name="entra-rolf", exact=True).click()
    expect(page.get_by_role("heading", name="Du har ikke adgang til Trivsel")).to_be_visible()
    expect(page.get_by_text("Bed din leder")).to_be_visible()
