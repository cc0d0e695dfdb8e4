"""The fault suite (issue 26): faults operations cause, injected under a small load
(tests/faults/load.py). It needs PostgreSQL (TEST_DATABASE_URL) and runs alone, after the
`db` lane, in .ci/run: a database restart would break the tests running beside it. Marked
`faults` by folder (tests/conftest.py), so no other lane runs it; without PostgreSQL
(`make test`) every test here is skipped."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.load import Served, served
from tests.harness import is_postgres

# How to run pg_ctl on the server TEST_DATABASE_URL names, without the action: .ci/run sets
# it to its lane's own server, e.g. "runuser -u postgres -- …/pg_ctl -D <data> -l <log>".
PG_CTL = "FAULTS_PG_CTL"


@pytest.fixture(scope="session", autouse=True)
def _on_postgres_only() -> None:
    """Autouse and session-wide, so it runs before any server of the suite is started."""
    if not is_postgres():
        pytest.skip("the fault suite runs on PostgreSQL: set TEST_DATABASE_URL (.ci/run does)")


@pytest.fixture
def pg_ctl() -> list[str]:
    """The pg_ctl command of the test database's server (``FAULTS_PG_CTL``)."""
    command = os.environ.get(PG_CTL)
    if not command:
        pytest.skip(f"set {PG_CTL} to run pg_ctl on TEST_DATABASE_URL's server (.ci/run does)")
    return shlex.split(command)


@pytest.fixture(scope="session")
def app_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The demo world under gunicorn with the suite's workers, shared by the tests (each
    runs its own load; a fault leaves the server as it found it; setting it up takes half a
    minute on a loaded machine). A test that needs other settings starts its own with
    ``served(folder, **overrides)``."""
    folder: Path = tmp_path_factory.mktemp("faults")
    with served(folder) as started:
        yield started
