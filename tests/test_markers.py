"""The markers the lanes select by (docs/developing.md, "The test loop"): no browser or slow test
may slip into `make check`, and no test that reaches the database may be missing from the `db`
lane that .ci/run repeats on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ROOT, database


def _pytest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _collected(*args: str) -> list[str]:
    run = _pytest("--collect-only", *args)
    assert run.returncode in (0, 5), run.stdout[-3000:] + run.stderr[-3000:]  # 5: none
    return [line for line in run.stdout.splitlines() if "::" in line]


def test_browser_and_slow_tests_are_left_out_by_their_markers() -> None:
    """tests/browser/ and tests/attack/ are marked by folder (tests/conftest.py); every e2e
    module marks itself slow. A `pytestmark` in tests/browser/conftest.py did nothing, so
    `-m "not browser"` ran them. (No browser or attack module marks itself slow, so an
    unmarked one would be collected here.) The expression is make check's (QUICK_LANE)."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not browser and not slow and not attack",
            "tests/browser",
            "tests/e2e",
            "tests/attack",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 5, run.stdout[-3000:] + run.stderr[-3000:]  # 5: none collected
    assert "no tests collected" in run.stdout


def test_the_db_lane_holds_what_reaches_the_database_and_leaves_out_what_does_not() -> None:
    """The rule follows helpers and fixtures: tests/attack/served.py's `served` makes the
    database of test_api_fuzz.py's module fixture; the course machine is pure Python."""
    not_db = _collected(
        "-m",
        "not db",
        "tests/attack/test_api_fuzz.py",
        "tests/server/test_course_machine.py",
        "tests/server/test_auth.py",
        "tests/ops/test_two_instances.py",
        "tests/sync/test_change_sequence.py",
    )
    assert not_db, "the course machine's tests are in the db lane"
    assert {line.split("::")[0] for line in not_db} == {"tests/server/test_course_machine.py"}


def test_no_test_outside_the_db_lane_reaches_a_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The rule reads code, so a database reached only through a name computed at run time
    would be missed. Every run holds it to account (tests/conftest.py's
    pytest_runtest_protocol): a test outside the lane that reaches a database fails. This test
    is outside the lane, and reaches each way by a computed name, as the rule cannot read.
    (It used to run everything outside the lane again with a database that is not there:
    a minute of `make test` for the same check.)"""
    assert request.node.get_closest_marker("db") is None
    for entry, args in (
        ("migrated_database_url", (tmp_path, "markers")),
        ("empty_database_url", (tmp_path, "markers")),
        ("is_postgres", ()),
    ):
        with pytest.raises(pytest.fail.Exception, match="is not in the db lane"):
            getattr(database, entry)(*args)
