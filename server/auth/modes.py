"""Which ways staff sign in here (issue 20): local passwords (``PASSWORD_LOGIN``), the
municipality's identity provider (``STAFF_OIDC_ISSUER``), or both. Kept apart from the
routes so that every blueprint can ask without importing them."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from server.errors import ApiError


def staff_oidc_on(app: Flask | None = None) -> bool:
    """Whether staff sign in through the municipality's identity provider."""
    return bool((app or current_app).config["STAFF_OIDC_ISSUER"])


def password_login_on(app: Flask | None = None) -> bool:
    """Whether local passwords work (``PASSWORD_LOGIN``, resolved at start)."""
    return bool((app or current_app).config["PASSWORD_LOGIN_ON"])


def require_password_login() -> None:
    """404 for a password route while passwords are off: with the municipality's login the
    routes do not exist, as far as anyone outside can tell."""
    if not password_login_on():
        raise ApiError(404, "Not found.", "not_found")


def resolve_password_login(config: dict[str, Any] | Any) -> bool:
    """``PASSWORD_LOGIN``: ``1`` on, ``0`` off; empty, off in production when
    ``STAFF_OIDC_ISSUER`` is set (a password is a way in that the municipality's leaver
    process and MFA do not govern), on otherwise (development keeps the demo passwords)."""
    from server.config import ConfigError

    value = str(config["PASSWORD_LOGIN"]).strip()
    if value not in ("", "0", "1"):
        raise ConfigError(f"PASSWORD_LOGIN={value!r}: use 1, 0 or leave it empty.")
    if value:
        return value == "1"
    development = config["TRIVSEL_ENV"] in ("development", "testing")
    return development or not config["STAFF_OIDC_ISSUER"]
