"""Run a server test module on both stores: import ``app_config`` from here into the module.

"files" is the default (BLOB_DIR, ATTACHMENT_DIR, FILING_DIR); "s3" puts every stored file
into a fresh bucket of the S3 protocol server (tests/s3server.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from server.photos.store import object_store
from tests.s3server import s3_app_config


@pytest.fixture(params=["files", "s3"])
def app_config(request: pytest.FixtureRequest, app_config: dict[str, Any]) -> dict[str, Any]:
    if request.param == "s3":
        app_config.update(s3_app_config(request.getfixturevalue("s3_endpoint")))
    return app_config


def stored_keys(app: Flask) -> list[str]:
    """Every object in the app's store, whichever it is."""
    with app.app_context():
        return sorted(object_store().keys())
