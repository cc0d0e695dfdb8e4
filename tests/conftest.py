"""Every suite's fixtures come from the harness (tests/harness/fixtures.py). Markers by folder."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.harness.fixtures"]

BROWSER_TESTS = Path(__file__).parent / "browser"


@pytest.hookimpl(tryfirst=True)  # before -m deselects by markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ is a `browser` test, so `-m "not browser"` (make check)
    leaves Chromium out: a `pytestmark` in a conftest.py is ignored by pytest."""
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)
