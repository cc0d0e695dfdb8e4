"""The markers `make check` selects by: no browser or slow test may slip into the inner loop."""

from __future__ import annotations

import subprocess
import sys

from tests.harness import ROOT


def test_browser_and_slow_tests_are_left_out_by_their_markers() -> None:
    """tests/browser/ is marked by folder (tests/conftest.py); every e2e module marks itself slow.
    A `pytestmark` in tests/browser/conftest.py did nothing, so `-m "not browser"` ran them."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-m", "not browser and not slow", "tests/browser", "tests/e2e"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 5, run.stdout[-3000:] + run.stderr[-3000:]  # 5: none collected
    assert "no tests collected" in run.stdout
