"""The harness's own promises: a test gets a database at the migrations' head with no rows,
and an app handed on from an earlier test carries nothing of that test with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import create_engine, func, select

from server.extensions import db
from server.models import User
from server.photos.store import object_store
from tests.harness import AppPool, migrated_database_url, settings, wait_until
from tests.harness.served import ROOT


def test_a_migrated_database_is_at_head_and_empty(tmp_path: Path) -> None:
    engine = create_engine(migrated_database_url(tmp_path, "harness"))
    try:
        with engine.connect() as conn:
            heads = ScriptDirectory(str(ROOT / "migrations")).get_heads()
            assert MigrationContext.configure(conn).get_current_heads() == tuple(heads)
            assert conn.execute(select(func.count()).select_from(User)).scalar() == 0
    finally:
        engine.dispose()


def test_a_handed_on_app_forgets_the_settings_and_stores_of_the_test_before(
    tmp_path: Path, database_url: str
) -> None:
    pool = AppPool()
    first = pool.take(settings(tmp_path / "one", database_url))
    first.config["INVITATION_DAYS"] = 3  # as a test may change a setting of its app
    with first.app_context():
        opened = object_store()  # made on first use, from that test's folders
    pool.give_back(first)

    second = pool.take(settings(tmp_path / "two", database_url))
    assert second is first  # the point: no second create_app
    assert second.config["INVITATION_DAYS"] != 3
    assert second.config["BLOB_DIR"] == str(tmp_path / "two" / "blobs")
    with second.app_context():
        assert object_store() is not opened
    pool.give_back(second)


def test_other_settings_get_an_app_of_their_own(tmp_path: Path, database_url: str) -> None:
    pool = AppPool()
    plain = pool.take(settings(tmp_path, database_url))
    pool.give_back(plain)
    other = pool.take(settings(tmp_path, database_url, PUBLIC_URL="https://elsewhere.example"))
    assert other is not plain and other.config["PUBLIC_URL"] == "https://elsewhere.example"
    pool.give_back(other)


def test_an_app_is_given_back_empty(app: Flask, demo: dict[str, Any]) -> None:
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User))
    AppPool.give_back(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_wait_until_names_what_never_happened() -> None:
    wait_until(lambda: True, 0, "at once")
    with pytest.raises(AssertionError, match="the impossible"):
        wait_until(lambda: False, 0.2, "the impossible", interval=0.05)
