"""The object stores the sync tests run against: the filesystem, and S3 (moto's server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.photos.storage import NAMESPACES, ObjectStore, open_store
from tests.s3server import new_bucket, s3_options


@pytest.fixture(params=["files", "s3"])
def objects(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """An empty store of each kind."""
    if request.param == "files":
        return open_store("", {name: tmp_path / name for name in NAMESPACES})
    endpoint = request.getfixturevalue("s3_endpoint")
    return open_store(f"s3://{new_bucket(endpoint)}/trivsel", {}, s3_options(endpoint))
