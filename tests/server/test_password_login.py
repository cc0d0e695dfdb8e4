"""``PASSWORD_LOGIN`` (issue 20): with local passwords off, every password route is a 404 as
if it did not exist; the default follows the municipality's login in production only."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from server import create_app
from server.auth.modes import resolve_password_login
from server.config import ConfigError
from tests.harness import ApiClient
from tests.harness.fixtures import DEMO_PASSWORD

ISSUER = "https://login.kommune.example"


def _signed_in_elsewhere(app: Flask, other: Flask, email: str) -> ApiClient:
    """A client of ``app`` carrying a session made by ``other`` (same database and key):
    with passwords off there is no password route to make one with."""
    donor = ApiClient(other.test_client())
    donor.login(email, DEMO_PASSWORD)
    cookie = donor.raw.get_cookie("trivsel_session")
    assert cookie is not None
    client = ApiClient(app.test_client())
    client.raw.set_cookie("trivsel_session", cookie.value)
    client.csrf_token = donor.csrf_token
    return client


def test_password_login_off_makes_every_password_route_404(
    app: Flask, app_config: dict[str, Any], demo: dict[str, Any]
) -> None:
    off = create_app({**app_config, "PASSWORD_LOGIN": "0"})
    anonymous = ApiClient(off.test_client())
    login = anonymous.post(
        "/api/auth/login", {"email": "admin@example.org", "password": DEMO_PASSWORD}
    )
    assert login.status_code == 404
    link = anonymous.post("/api/auth/password-link", {"token": "x", "password": "p" * 12})
    assert link.status_code == 404
    admin = _signed_in_elsewhere(off, app, "admin@example.org")
    assert admin.get("/api/auth/me").status_code == 200  # the session itself still counts
    own = admin.post(
        "/api/auth/password", {"current_password": DEMO_PASSWORD, "password": "p" * 12}
    )
    assert own.status_code == 404
    reset = admin.post(f"/api/users/{demo['users']['ppr']}/password-link")
    assert reset.status_code == 404
    assert anonymous.get("/api/auth/methods").get_json()["password"] is False
    # The same routes with passwords on, for contrast: they exist.
    on = ApiClient(app.test_client())
    assert (
        on.post(
            "/api/auth/login", {"email": "admin@example.org", "password": DEMO_PASSWORD}
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("env", "issuer", "setting", "on"),
    [
        ("production", ISSUER, "", False),  # the municipality's login: passwords off
        ("production", "", "", True),  # no provider: passwords are the only way in
        ("development", ISSUER, "", True),  # development keeps the demo's passwords
        ("testing", ISSUER, "", True),
        ("production", ISSUER, "1", True),  # an operator may keep both, deliberately
        ("development", "", "0", False),
    ],
)
def test_the_default_follows_the_municipalitys_login_in_production(
    env: str, issuer: str, setting: str, on: bool
) -> None:
    config = {"TRIVSEL_ENV": env, "STAFF_OIDC_ISSUER": issuer, "PASSWORD_LOGIN": setting}
    assert resolve_password_login(config) is on


def test_a_password_login_value_other_than_0_or_1_stops_the_start() -> None:
    with pytest.raises(ConfigError, match="PASSWORD_LOGIN"):
        resolve_password_login(
            {"TRIVSEL_ENV": "testing", "STAFF_OIDC_ISSUER": "", "PASSWORD_LOGIN": "no"}
        )


def test_a_staff_issuer_without_roles_stops_the_start(app_config: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="STAFF_ROLES"):
        create_app(
            {
                **app_config,
                "STAFF_OIDC_ISSUER": ISSUER,
                "STAFF_OIDC_CLIENT_ID": "c",
                "STAFF_OIDC_CLIENT_SECRET": "s",
            }
        )
