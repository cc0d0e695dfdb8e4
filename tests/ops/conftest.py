"""The server suite's fixtures on a database of this suite's own (so that on PostgreSQL the
two suites, in one xdist worker, never drop each other's database)."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from server import create_app
from server.extensions import db
from tests.dbutil import fresh_database_url
from tests.server.conftest import (  # noqa: F401 - fixtures, found by name
    app,
    app_config,
    as_user,
    client,
    demo,
)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = fresh_database_url(tmp_path_factory.mktemp("db"), "ops")
    made = create_app({"TRIVSEL_ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": "x",
                       "BLOB_DIR": str(tmp_path_factory.mktemp("blobs"))})
    with made.app_context():
        upgrade()
        db.engine.dispose()
    return url
