"""Test databases: a SQLite file, or (with TEST_DATABASE_URL) a PostgreSQL database of its own.

Each pytest-xdist worker and each suite gets its own database, so parallel runs and the
sync suite's toy tables never meet the server suite's tables.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def fresh_database_url(tmp_dir: Path, name: str) -> str:
    """A URL of an empty database named after ``name`` and this xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_dir / f'{name}-{worker}.sqlite3'}"
    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    db_name = f"{url.database}_{name}_{worker}".replace("-", "_")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    admin.dispose()
    return url.set(database=db_name).render_as_string(hide_password=False)


def is_postgres() -> bool:
    """True when the suite runs against PostgreSQL."""
    return bool(os.environ.get("TEST_DATABASE_URL"))
