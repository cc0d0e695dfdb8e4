"""How much the property and fuzz tests try, by lane: the same assertions on fewer examples in
the inner loop, so that `make check` stays under two minutes while `make test` keeps its budget.

- `make check` sets TRIVSEL_QUICK=1: ``quick``;
- `make test` and .ci/run set nothing: ``test``;
- `make fuzz` sets TRIVSEL_FUZZ=1: ``fuzz`` (random, not derandomized, in the modules that say so).

A variable named by the test (ACCESS_WORLDS, PDF_TEXT_EXAMPLES, ...) overrides all three.
"""

from __future__ import annotations

import os

QUICK = bool(os.environ.get("TRIVSEL_QUICK"))
FUZZ = bool(os.environ.get("TRIVSEL_FUZZ"))


def budget(test: int, *, quick: int, fuzz: int | None = None, env: str | None = None) -> int:
    """The number of examples (worlds, writes, ...) for this run's lane."""
    if env and os.environ.get(env):
        return int(os.environ[env])
    if FUZZ:
        return test if fuzz is None else fuzz
    return quick if QUICK else test
