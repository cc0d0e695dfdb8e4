"""Test databases: a SQLite file, or (with TEST_DATABASE_URL) a PostgreSQL database of its own.

Migrations run once per test process, into a template; every database a test asks for
after that is a copy of it (a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on
PostgreSQL), which costs a few milliseconds instead of a second of Alembic. Each xdist
worker has its own template and databases, so parallel runs never meet.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from tests.harness.settings import settings

_templates: dict[str, str] = {}  # "migrated" → the template's URL, in this process
# The id of the running test when it is outside the `db` lane (tests/conftest.py sets it
# around each test): reaching the database from such a test fails it (_in_db_lane).
_outside_db_lane: list[str] = []


def outside_db_lane(nodeid: str | None) -> None:
    """The running test is outside the `db` lane (its id), or no such test runs (None)."""
    _outside_db_lane[:] = [nodeid] if nodeid else []


def _in_db_lane(entry: str) -> None:
    """Every way to the database passes here. tests/conftest.py's rule puts a test in the
    `db` lane by reading its code, so a test that reaches the database only through a name
    computed at run time would be missed, and .ci/run would not repeat it on PostgreSQL;
    checked here as it runs, in every lane, it fails instead."""
    if _outside_db_lane:
        pytest.fail(
            f"{_outside_db_lane[0]} reached the database ({entry}) but is not in the db lane: "
            "the rule (_reaches_database in tests/conftest.py) cannot read how; name the "
            "harness function in the test or its fixtures",
            pytrace=False,
        )


def worker() -> str:
    """This pytest-xdist worker's name ("main" without xdist)."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def is_postgres() -> bool:
    """True when the suite runs against PostgreSQL."""
    _in_db_lane("is_postgres")
    return bool(os.environ.get("TEST_DATABASE_URL"))


def _server_url() -> URL:
    _in_db_lane("TEST_DATABASE_URL")
    url = make_url(os.environ["TEST_DATABASE_URL"])
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _pg_name(name: str) -> str:
    return f"{_server_url().database}_{name}_{worker()}".replace("-", "_")


def _pg_create(db_name: str, template: str | None = None) -> str:
    url = _server_url()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        copy = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{db_name}"{copy}'))
    admin.dispose()
    return url.set(database=db_name).render_as_string(hide_password=False)


def empty_database_url(folder: Path, name: str) -> str:
    """A URL of an empty database named after ``name`` and this worker (for migration tests
    and anything that runs Alembic itself)."""
    _in_db_lane("empty_database_url")
    if not is_postgres():
        path = folder / f"{name}-{worker()}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    return _pg_create(_pg_name(name))


def migrated_database_url(folder: Path, name: str) -> str:
    """A URL of a database at the migrations' head and with no rows, named after ``name``
    and this worker: a copy of the process's template."""
    _in_db_lane("migrated_database_url")
    template = _template()
    if not is_postgres():
        path = folder / f"{name}-{worker()}.sqlite3"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(make_url(template).database or "", path)
        return f"sqlite:///{path}"
    return _pg_create(_pg_name(name), template=make_url(template).database)


def _template() -> str:
    """The migrated template of this process, made on first use."""
    _in_db_lane("the migrated template")
    if "migrated" not in _templates:
        from flask_migrate import upgrade

        from server import create_app
        from server.extensions import db

        folder = Path(tempfile.mkdtemp(prefix="trivsel-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        url = empty_database_url(folder, "template")
        app = create_app(dict(settings(folder, url)))
        with app.app_context():
            upgrade()
            # No connection may stay open: PostgreSQL copies only an unused template.
            db.engine.dispose()
        _templates["migrated"] = url
    return _templates["migrated"]


def empty_all_tables() -> None:
    """Delete every row (the counter row is kept and set back to 0), inside an app context."""
    from server.extensions import db

    # DELETE, children first, on PostgreSQL too: a test leaves a few rows, and TRUNCATE's
    # fixed cost per table (new files for each of ~40 tables) made it 128 ms against 7 ms.
    tables = [t.name for t in reversed(db.metadata.sorted_tables) if t.name != "sync_counter"]
    with db.engine.begin() as conn:
        for name in tables:
            conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own table names
        conn.execute(text("UPDATE sync_counter SET value = 0"))
