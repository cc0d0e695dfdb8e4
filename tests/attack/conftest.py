"""The attack tests use the harness's fixtures (a real database, the demo data), and
``live``: gunicorn serving the demo data over real HTTP."""

from collections.abc import Iterator

import pytest

from tests.attack.served import Served, served


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """gunicorn with one worker (so its memory can be watched) on the demo data."""
    with served(tmp_path_factory.mktemp("live"), "live") as server:
        server.reset()
        yield server
