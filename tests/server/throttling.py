"""The sign-in throttle's tests' tools: a clock the test moves, and a sign-in from an address."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from sqlalchemy import Float, literal
from sqlalchemy.sql.elements import ColumnElement

from tests.harness import ApiClient


class Clock:
    """The store's clock, moved on by the test: each statement reads ``now`` as it is built."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self, _dialect: str) -> ColumnElement[float]:
        return literal(self.now, Float)


def login(app: Flask, email: str, password: str, address: str) -> Any:
    """A password sign-in from ``address``, as the server sees it."""
    return ApiClient(app.test_client()).post(
        "/api/auth/login",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
