"""Staff sign in through the municipality's identity provider, wired into the app (issue 20):
the real app on 127.0.0.1 over real HTTP, on a migrated database with the demo's data, against
the local provider (oidc-provider-mock) on another port; a browser stand-in with its own
cookie jar follows the redirects."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from server import create_app
from server.auth.cli import dev_settings
from server.demo import DEMO_INSTITUTIONS
from server.extensions import db
from server.identity.dev_provider import DEMO_STAFF, running_provider, staff_claims
from server.identity.loa import NSIS_LOA_CLAIM
from server.identity.pending import used_callbacks
from server.models import AuthSession, Institution, User
from tests.harness import migrated_app, migrated_database_url, served_on_thread, settings

DEMO_PASSWORD = "staff-signin-demo-password"
STAFF = {s.sub: s for s in DEMO_STAFF}


@dataclass
class Live:
    url: str
    issuer: str
    app: Flask

    def set_claims(self, sub: str, claims: dict[str, object]) -> None:
        """Change a user at the provider while it runs (their next sign-in sees it)."""
        answer = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        assert answer.status_code == 204

    def db(self, query: Callable[[], Any]) -> Any:
        with self.app.app_context():
            return query()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The app configured for the municipality's login (passwords on, as in development),
    served on a thread; a provider of its own, so the claims its tests change stay here."""
    tmp = tmp_path_factory.mktemp("staff-signin")
    with served_on_thread() as served, running_provider() as issuer:
        app = migrated_app(
            settings(
                tmp,
                migrated_database_url(tmp, "staff"),
                PUBLIC_URL=served.url,
                **dev_settings(issuer),
            ),
            DEMO_PASSWORD,
        )
        served.app = app
        try:
            yield Live(served.url, issuer, app)
        finally:
            with app.app_context():
                db.engine.dispose()


def _through_provider(live: Live, browser: requests.Session, sub: str) -> str:
    """Begin at the app, pick ``sub`` at the provider: the callback URL it redirects to."""
    started = browser.get(f"{live.url}/api/auth/oidc/login", allow_redirects=False, timeout=10)
    assert started.status_code == 303
    assert started.headers["Location"].startswith(live.issuer)
    picked = requests.post(
        started.headers["Location"], data={"sub": sub}, allow_redirects=False, timeout=10
    )
    assert picked.status_code == 302
    callback: str = picked.headers["Location"]
    assert callback.startswith(f"{live.url}/api/auth/oidc/callback?")
    return callback


def sign_in(
    live: Live, sub: str, browser: requests.Session | None = None
) -> tuple[requests.Session, requests.Response]:
    """A whole sign-in in a browser of its own: the browser and the callback's answer."""
    browser = browser or requests.Session()
    answer = browser.get(_through_provider(live, browser, sub), allow_redirects=False, timeout=10)
    return browser, answer


def me(live: Live, browser: requests.Session) -> requests.Response:
    return browser.get(f"{live.url}/api/auth/me", timeout=10)


def signed_in(live: Live, sub: str) -> tuple[requests.Session, dict[str, Any]]:
    browser, answer = sign_in(live, sub)
    assert answer.status_code == 303, answer.text
    assert answer.headers["Location"] == "/"  # back into the app
    session = me(live, browser)
    assert session.status_code == 200
    browser.headers["X-CSRF-Token"] = session.json()["csrf_token"]
    return browser, session.json()["user"]


def _institution_id(live: Live, name: str) -> str:
    found: str = live.db(
        lambda: db.session.scalar(select(Institution.id).where(Institution.name == name))
    )
    return found


def test_the_first_sign_in_provisions_an_account_with_role_and_institution(live: Live) -> None:
    live.set_claims(
        "entra-nina",
        {
            "name": "Nina Ny",
            "email": "nina@example.org",
            "roles": ["trivsel-paedagog"],
            "institution": DEMO_INSTITUTIONS["Skovbørnehaven"],
            NSIS_LOA_CLAIM: f"{NSIS_LOA_CLAIM}/Substantial",
        },
    )
    _, user = signed_in(live, "entra-nina")
    assert (user["email"], user["name"], user["role"]) == (
        "nina@example.org",
        "Nina Ny",
        "educator",
    )
    assert user["institution_id"] == _institution_id(live, "Skovbørnehaven")
    row = live.db(lambda: db.session.get(User, user["id"]))
    assert (row.oidc_issuer, row.oidc_subject, row.password_hash, row.active) == (
        live.issuer,
        "entra-nina",
        "",
        True,
    )
    _, again = signed_in(live, "entra-nina")
    assert again["id"] == user["id"]  # found by issuer and subject, not made twice


def test_the_role_and_institution_come_from_the_claims(live: Live) -> None:
    _, pia = signed_in(live, "entra-pia")
    assert (pia["email"], pia["role"]) == ("paedagog2@example.org", "educator")
    assert pia["institution_id"] == _institution_id(live, "Skovbørnehaven")
    _, poul = signed_in(live, "entra-poul")
    assert (poul["role"], poul["institution_id"]) == ("psychologist", None)


def test_a_verified_e_mail_links_the_local_account_of_that_address(live: Live) -> None:
    local = live.db(
        lambda: db.session.scalar(select(User.id).where(User.email == "familie@example.org"))
    )
    _, user = signed_in(live, "entra-frida")
    assert user["id"] == local


def test_an_unverified_e_mail_of_a_local_account_is_refused(live: Live) -> None:
    """Linking on an address the provider did not verify would hand the local account to
    whoever could write that address at the provider."""
    live.set_claims("entra-mallory", {**staff_claims(STAFF["entra-poul"]), "email_verified": False})
    _, answer = sign_in(live, "entra-mallory")
    assert answer.status_code == 403
    assert "Der findes allerede en konto med din e-mail" in answer.text
    assert (
        live.db(
            lambda: db.session.scalar(
                select(User.oidc_subject).where(User.email == "ppr@example.org")
            )
        )
        != "entra-mallory"
    )


def test_a_role_changed_at_the_provider_ends_the_other_sessions(live: Live) -> None:
    live.set_claims(
        "entra-ulla",
        {
            **staff_claims(STAFF["entra-poul"]),
            "email": "ulla@example.org",
            "roles": ["trivsel-ppr"],
        },
    )
    first, user = signed_in(live, "entra-ulla")
    assert user["role"] == "psychologist"
    live.set_claims(
        "entra-ulla",
        {
            **staff_claims(STAFF["entra-poul"]),
            "email": "ulla@example.org",
            "roles": ["trivsel-familieindgang"],
        },
    )
    second, changed = signed_in(live, "entra-ulla")
    assert (changed["id"], changed["role"]) == (user["id"], "family_unit")
    assert me(live, first).status_code == 401  # what it was signed in to decide has changed
    assert me(live, second).status_code == 200


def test_a_role_removed_at_the_provider_is_refused_and_ends_the_session(live: Live) -> None:
    claims = {**staff_claims(STAFF["entra-poul"]), "email": "viggo@example.org"}
    live.set_claims("entra-viggo", claims)
    first, _ = signed_in(live, "entra-viggo")
    live.set_claims("entra-viggo", {**claims, "roles": []})
    _, answer = sign_in(live, "entra-viggo")
    assert answer.status_code == 403
    assert "Du har ikke adgang til Trivsel" in answer.text
    assert me(live, first).status_code == 401


def test_a_group_that_maps_to_no_role_gets_a_danish_403_naming_whom_to_ask(live: Live) -> None:
    _, answer = sign_in(live, "entra-rolf")
    assert answer.status_code == 403
    assert answer.headers["Content-Type"].startswith("text/html")
    assert '<html lang="da">' in answer.text
    assert "Bed din leder" in answer.text
    assert "kommunens it-afdeling" in answer.text
    assert (
        live.db(lambda: db.session.scalar(select(User.id).where(User.email == "rolf@example.org")))
        is None
    )


def test_a_low_assurance_level_is_refused(live: Live) -> None:
    live.set_claims(
        "entra-lav",
        {
            **staff_claims(STAFF["entra-poul"]),
            "email": "lav@example.org",
            NSIS_LOA_CLAIM: f"{NSIS_LOA_CLAIM}/Low",
        },
    )
    browser, answer = sign_in(live, "entra-lav")
    assert answer.status_code == 403
    assert "ikke sikkert nok" in answer.text
    assert me(live, browser).status_code == 401
    assert (
        live.db(lambda: db.session.scalar(select(User.id).where(User.email == "lav@example.org")))
        is None
    )


def test_an_educator_whose_institution_trivsel_does_not_know_is_refused(live: Live) -> None:
    live.set_claims(
        "entra-otto",
        {
            **staff_claims(STAFF["entra-peter"]),
            "email": "otto@example.org",
            "institution": "ukendt-ean",
        },
    )
    _, answer = sign_in(live, "entra-otto")
    assert answer.status_code == 403
    assert "Din institution er ikke sat op i Trivsel" in answer.text


def test_a_replayed_callback_is_refused(live: Live) -> None:
    browser = requests.Session()
    callback = _through_provider(live, browser, "entra-peter")
    captured = browser.cookies.get("trivsel_signin_staff", path="/api/auth/oidc/callback")
    assert captured is not None
    assert browser.get(callback, allow_redirects=False, timeout=10).status_code == 303
    # The same browser again: its pending cookie was cleared.
    assert browser.get(callback, allow_redirects=False, timeout=10).status_code == 403
    # Someone who captured the callback and the cookie: the state is used (in the database,
    # which every worker shares).
    attacker = requests.Session()
    attacker.cookies.set("trivsel_signin_staff", captured, path="/api/auth/oidc/callback")
    replayed = attacker.get(callback, allow_redirects=False, timeout=10)
    assert replayed.status_code == 403
    assert "Login lykkedes ikke" in replayed.text
    assert me(live, attacker).status_code == 401
    used = live.db(lambda: db.session.execute(select(used_callbacks.c.state)).scalars().all())
    assert len(used) >= 1


def test_admins_do_not_create_or_change_accounts_with_the_municipalitys_login(live: Live) -> None:
    admin, _ = signed_in(live, "entra-anna")
    _, peter = signed_in(live, "entra-peter")
    created = admin.post(
        f"{live.url}/api/users",
        json={
            "email": "ny@example.org",
            "name": "Ny",
            "role": "educator",
            "institution_id": _institution_id(live, "Solsikken"),
        },
        timeout=10,
    )
    assert (created.status_code, created.json()["error"]["code"]) == (
        409,
        "managed_by_identity_provider",
    )
    for change in ({"role": "admin"}, {"institution_id": None}, {"email": "x@example.org"}):
        answer = admin.patch(f"{live.url}/api/users/{peter['id']}", json=change, timeout=10)
        assert (answer.status_code, answer.json()["error"]["code"]) == (
            409,
            "managed_by_identity_provider",
        ), change
    renamed = admin.patch(
        f"{live.url}/api/users/{peter['id']}", json={"name": "Peter P."}, timeout=10
    )
    assert renamed.status_code == 200
    methods = requests.get(f"{live.url}/api/auth/methods", timeout=10).json()
    assert methods == {"password": True, "oidc": True, "oidc_login_url": "/api/auth/oidc/login"}


def test_signing_in_again_keeps_the_session_of_the_same_device_alive(live: Live) -> None:
    """Nothing changed at the provider: other sessions stay (only a change ends them)."""
    first, _ = signed_in(live, "entra-bo")
    signed_in(live, "entra-bo")
    assert me(live, first).status_code == 200
    sessions = live.db(
        lambda: db.session.scalars(
            select(AuthSession)
            .join(User)
            .where(User.email == "admin2@example.org", AuthSession.revoked_at.is_(None))
        ).all()
    )
    assert len(sessions) == 2


@pytest.fixture
def tmp_app(tmp_path: Path) -> Callable[..., Flask]:
    def make(**config: Any) -> Flask:
        return create_app(
            {
                "TRIVSEL_ENV": "testing",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                "BLOB_DIR": str(tmp_path / "blobs"),
                **config,
            }
        )

    return make


def test_without_an_issuer_the_provider_routes_are_404(tmp_app: Callable[..., Flask]) -> None:
    client = tmp_app().test_client()
    assert client.get("/api/auth/oidc/login").status_code == 404
    assert client.get("/api/auth/oidc/callback?state=x&code=y").status_code == 404
    assert client.get("/api/auth/methods").get_json() == {
        "password": True,
        "oidc": False,
        "oidc_login_url": None,
    }
