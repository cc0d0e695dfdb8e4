"""Configuration, demo data and migrations: what a newcomer and a deployment rely on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import inspect

from server import create_app
from server.config import ConfigError
from server.extensions import db
from server.identity.cpr_crypto import new_key_entry
from tests.harness import ApiClient, empty_database_url, settings


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(
            {
                "TRIVSEL_ENV": "production",
                "SECRET_KEY": "",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            }
        )


def test_production_cookies_are_secure(tmp_path: Path) -> None:
    app = create_app(
        {
            "TRIVSEL_ENV": "production",
            "SECRET_KEY": "s" * 32,
            "CPR_KEY": new_key_entry("k1"),
            "DATABASE_URL": "postgres://u:p@db.example/trivsel",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_demo_command_fills_an_empty_database_once(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "familie@example.org" in first.output
    password = first.output.split("Password for all of them: ")[1].split()[0]
    assert len(password) >= 10
    second = runner.invoke(args=["demo"])
    assert "nothing changed" in second.output
    from server.models import Child, User

    with app.app_context():
        assert db.session.query(User).count() == 6  # two admins: one asks, one approves
        assert db.session.query(Child).count() == 3
    ApiClient(app.test_client()).login("familie@example.org", password)  # asserts a 200


def test_demo_uses_the_given_password(app_config: dict[str, Any]) -> None:
    from datetime import UTC, datetime

    from server.extensions import db as _db
    from server.models import Meeting
    from tests.harness import empty_all_tables as _empty_all_tables

    app = create_app({**app_config, "DEMO_PASSWORD": "chosen-password-123"})
    try:
        result = app.test_cli_runner().invoke(args=["demo"])
        assert "chosen-password-123" in result.output
        with app.app_context():
            meeting = _db.session.query(Meeting).one()
            assert meeting.starts_at.date() == datetime.now(UTC).date()  # "today", even late
            assert meeting.kind == "start"
    finally:  # this app is not the fixture's: clean up even when a check fails
        with app.app_context():
            _empty_all_tables()


def test_demo_refuses_in_production(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "TRIVSEL_ENV": "production", "CPR_KEY": new_key_entry("k1")})
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0
    assert "production" in result.output
    with app.app_context():
        from server.models import User

        assert db.session.query(User).count() == 0


def test_migrations_build_the_models_schema_from_empty(tmp_path: Path) -> None:
    """Upgrade an empty database to head; the result matches the models exactly."""
    url = empty_database_url(tmp_path, "migrations")
    app = create_app(settings(tmp_path, url))
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        assert "meeting" in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []
        db.engine.dispose()
