"""The argon2 profile of new password hashes: the cheapest one makes the test suite's sign-ins
cost nothing, and must never reach a deployment, where it would make stolen hashes cheap to
crack. Verifying reads the parameters from the stored hash, so either profile's hashes verify
under the other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from argon2 import extract_parameters, profiles
from flask import Flask

from server import create_app
from server.auth.passwords import hash_password, verify_password
from server.config import ConfigError
from server.identity.cpr_crypto import new_key_entry

# Passwords only: about how local passwords are hashed.
PASSWORDS_ONLY = True

STRONG = profiles.RFC_9106_LOW_MEMORY  # argon2-cffi's default: 64 MiB, three passes


def _production(tmp_path: Path, **extra: Any) -> Flask:
    return create_app(
        {
            "TRIVSEL_ENV": "production",
            "SECRET_KEY": "s" * 32,
            "CPR_KEY": new_key_entry("k1"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
            **extra,
        }
    )


def _hash_in(app: Flask, password: str) -> str:
    with app.app_context():
        return hash_password(password)


def test_production_hashes_with_the_strong_profile(tmp_path: Path) -> None:
    assert extract_parameters(_hash_in(_production(tmp_path), "pw")) == STRONG
    assert extract_parameters(hash_password("pw")) == STRONG  # no app at all: the strong one


@pytest.mark.parametrize("env", ["production", "development", "staging"])
def test_the_cheapest_profile_is_refused_outside_the_test_suite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str
) -> None:
    """Set in the environment, as a deployment would (TRIVSEL_ENV unset means production)."""
    monkeypatch.setenv("PASSWORD_HASH_PROFILE", "cheapest")
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    if env == "production":
        monkeypatch.delenv("TRIVSEL_ENV", raising=False)
    else:
        monkeypatch.setenv("TRIVSEL_ENV", env)
    with pytest.raises(ConfigError, match="PASSWORD_HASH_PROFILE"):
        create_app()
    with pytest.raises(ConfigError, match="PASSWORD_HASH_PROFILE"):
        _production(tmp_path, PASSWORD_HASH_PROFILE="cheapest")


def test_an_unknown_profile_is_refused(tmp_path: Path) -> None:
    """A typo must not fall back to some profile without a word."""
    with pytest.raises(ConfigError, match="PASSWORD_HASH_PROFILE"):
        _production(tmp_path, PASSWORD_HASH_PROFILE="fast")


def test_the_test_suite_hashes_cheaply_and_may_choose_the_strong_profile(
    app: Flask, app_config: dict[str, Any]
) -> None:
    assert extract_parameters(_hash_in(app, "pw")) == profiles.CHEAPEST
    strong = create_app({**app_config, "PASSWORD_HASH_PROFILE": "default"})
    assert extract_parameters(_hash_in(strong, "pw")) == STRONG


def test_hashes_verify_whichever_profile_made_them(app: Flask, tmp_path: Path) -> None:
    """Existing (strong) hashes keep working in tests, and a test's cheap hash in production."""
    production = _production(tmp_path)
    cheap, strong = _hash_in(app, "rigtigt"), _hash_in(production, "rigtigt")
    for verifying_app in (app, production):
        with verifying_app.app_context():
            for stored in (cheap, strong):
                assert verify_password(stored, "rigtigt")
                assert not verify_password(stored, "forkert")
            assert not verify_password(None, "rigtigt")


def test_the_demo_users_of_the_test_suite_sign_in_with_cheap_hashes(
    app: Flask, demo: dict[str, Any]
) -> None:
    """What the suite's speed rests on: the sign-in fixtures' accounts hash with CHEAPEST."""
    from server.extensions import db
    from server.models import User

    with app.app_context():
        user = db.session.get(User, demo["users"]["familie"])
        assert user is not None
        assert extract_parameters(user.password_hash) == profiles.CHEAPEST
