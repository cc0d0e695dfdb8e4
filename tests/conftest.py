"""Fixtures shared by the sync and server suites: the S3 protocol server."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.s3server import s3_server


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1 (see tests/s3server.py), for this test process."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    with s3_server() as endpoint:
        yield endpoint
