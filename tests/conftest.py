"""Every suite's fixtures come from the harness (tests/harness/fixtures.py). Markers: by
folder (browser) and by rule (db: what reaches the test database)."""

from __future__ import annotations

import inspect
import json
import types
from collections import defaultdict
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from tests.harness.database import (
    empty_database_url,
    is_postgres,
    migrated_database_url,
    outside_db_lane,
)

pytest_plugins = ["tests.harness.fixtures"]

BROWSER_TESTS = Path(__file__).parent / "browser"
ATTACK_TESTS = Path(__file__).parent / "attack"
FAULT_TESTS = Path(__file__).parent / "faults"
# How long each module's longest test took (seconds; `make durations` writes it): the order in
# which the modules are handed to the xdist workers, longest first (_longest_first).
DURATIONS = Path(__file__).parent / "durations.json"
# The ways a test reaches the database TEST_DATABASE_URL chooses (SQLite by default, PostgreSQL
# in .ci/run): a test whose code or fixtures call one of them is in the `db` lane.
DATABASE_ENTRIES: frozenset[object] = frozenset(
    {empty_database_url, migrated_database_url, is_postgres}
)


@pytest.hookimpl(tryfirst=True)  # before -m deselects by markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Markers by rule, so that a new test cannot be forgotten:
    - `browser`: every test under tests/browser/ (`-m "not browser"`, make check, leaves
      Chromium out; a `pytestmark` in a conftest.py is ignored by pytest);
    - `attack`: every test under tests/attack/ (the attacker's view: gunicorn per module
      and way in, fuzzers, properties over every document), which `make check` leaves to
      `make test` as the issue's inner loop does (the server and sync suites);
    - `faults` (and `slow`): every test under tests/faults/ (the fault suite, which .ci/run
      runs alone on PostgreSQL: it restarts the database);
    - `db`: every test that reaches the database TEST_DATABASE_URL chooses (see
      `_reaches_database`): the lane .ci/run repeats on PostgreSQL."""
    reaches: dict[object, bool] = {}
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)
        if item.path.is_relative_to(ATTACK_TESTS):
            item.add_marker(pytest.mark.attack)
        if item.path.is_relative_to(FAULT_TESTS):
            item.add_marker(pytest.mark.faults)
            item.add_marker(pytest.mark.slow)
        if isinstance(item, pytest.Function) and _uses_database(item, reaches):
            item.add_marker(pytest.mark.db)
    _longest_first(items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """While a test outside the `db` lane runs (setup and teardown included), reaching the
    database fails it (tests/harness/database.py): the rule above reads code, and this holds
    it to account at run time, in every run, for what it cannot read."""
    outside_db_lane(None if item.get_closest_marker("db") else item.nodeid)
    try:
        return (yield)
    finally:
        outside_db_lane(None)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked `xdist_group` runs on one worker with its group, or it fails saying why.
    pytest-xdist names the group in the test's id; pytest 9.2 ignored that (pyproject.toml),
    and the groups then ran on both workers at once with nothing said: two WebKit walks
    together failed a CI run. Checked in each worker, where xdist adds the names."""
    config = item.config
    if not (hasattr(config, "workerinput") and config.getvalue("loadgroup")):
        return
    if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
        pytest.fail(
            "--dist loadgroup did not put this test in its xdist_group: this pytest and "
            "pytest-xdist do not work together (see pyproject.toml)",
            pytrace=False,
        )


def _longest_first(items: list[pytest.Item]) -> None:
    """Modules whose longest test is longest go first (DURATIONS), the rest after them in
    the order pytest collected them; a module's tests stay together and in their order, so
    its module fixtures are made once per worker. Collected in file order, the 24 s guard of
    tests/test_markers.py came last, and one of the two workers sat idle while it ran: the
    longest tests first leave only short ones to even out the end. Every xdist worker sorts
    the same way (xdist checks that their collections are the same)."""
    if not DURATIONS.is_file():
        return
    longest: dict[str, float] = json.loads(DURATIONS.read_text())
    items.sort(key=lambda item: -longest.get(_module(item), 0.0))  # stable


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-durations",
        action="store_true",
        help=f"write each module's longest test duration to {DURATIONS.name} (make durations)",
    )


_durations: defaultdict[str, float] = defaultdict(float)  # test → setup + call + teardown


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Each test's time, its fixtures' setup and teardown included (with xdist, the
    controller receives every worker's reports)."""
    _durations[report.nodeid] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not session.config.getoption("record_durations") or hasattr(session.config, "workerinput"):
        return
    longest: dict[str, float] = {}
    for nodeid, seconds in _durations.items():
        module = nodeid.split("::")[0]
        longest[module] = max(longest.get(module, 0.0), round(seconds, 1))
    # Modules under a second change nothing in the order; left out, the file stays short.
    kept = {m: s for m, s in sorted(longest.items(), key=lambda ms: -ms[1]) if s >= 1.0}
    DURATIONS.write_text(json.dumps(kept, indent=1) + "\n")


def _uses_database(item: pytest.Function, reaches: dict[object, bool]) -> bool:
    """The test function or any fixture it uses (fixtures of fixtures included) reaches a
    DATABASE_ENTRIES function."""
    functions: list[object] = [item.obj]
    for name in item.fixturenames:
        functions += [d.func for d in item._fixtureinfo.name2fixturedefs.get(name, ())]
    return any(_reaches_database(f, reaches) for f in functions)


def _reaches_database(obj: object, reaches: dict[object, bool]) -> bool:
    """Whether ``obj`` (a function, or a class's methods) names a DATABASE_ENTRIES function,
    itself or through the functions, classes and modules of tests/ that its code names. Reads
    code, runs none: what a test reaches only through getattr by a computed name is missed
    (tests/test_markers.py runs the other lanes without a database to catch that)."""
    obj = getattr(getattr(obj, "hypothesis", None), "inner_test", obj)  # @given's wrapper
    obj = getattr(obj, "__func__", obj)  # a method, staticmethod or classmethod
    if inspect.isfunction(obj):
        obj = inspect.unwrap(obj)  # @contextmanager and other decorators
    if not (inspect.isfunction(obj) or isinstance(obj, type)):
        return False
    if obj in reaches:
        return reaches[obj]
    reaches[obj] = False  # recursion (a function calling itself) stops here
    if isinstance(obj, type):
        found = any(_reaches_database(v, reaches) for v in vars(obj).values())
    else:
        found = obj in DATABASE_ENTRIES or any(
            _reaches_database(o, reaches) for o in _named_by(obj)
        )
    reaches[obj] = found
    return found


def _named_by(function: types.FunctionType) -> Iterator[object]:
    """DATABASE_ENTRIES and the functions and classes of tests/ that ``function`` names."""
    names: set[str] = set()
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    namespace = function.__globals__
    for name in names:
        found = namespace.get(name)
        if isinstance(found, types.ModuleType):  # `helpers.make_world()`: its names of names
            if found.__name__.startswith("tests."):
                yield from (getattr(found, n) for n in names if hasattr(found, n))
        elif _of_tests(found):  # tests.harness.database's DATABASE_ENTRIES among them
            yield found


def _of_tests(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module == "tests" or module.startswith("tests.")
