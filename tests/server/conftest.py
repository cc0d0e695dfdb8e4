"""The server suite's own fixtures (the shared ones are the harness's): the demo family
unit worker signed in, and a fresh course for Noah."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.harness import ApiClient
from tests.server.world import created


@pytest.fixture
def familie(as_user: Any) -> ApiClient:
    client: ApiClient = as_user("familie")
    return client


@pytest.fixture
def course(as_user: Any, demo: dict[str, Any]) -> str:
    """A fresh course for Noah (no meetings yet): his educator opens it and names the demo
    family unit worker as its leader."""
    body = {
        "child_id": demo["children"]["Noah"],
        "leader_id": demo["users"]["familie"],
        "concern_level": "vulnerable",
        "start_date": date(2026, 12, 1).isoformat(),
    }
    return str(created(as_user("paedagog").post("/api/courses", body))["id"])
