"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1) that keeps what it receives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


class Inbox(Message):
    """Keeps every message the SMTP server receives."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.received.append(message)


@contextmanager
def smtp_inbox(port: int) -> Iterator[Inbox]:
    """An SMTP server on ``port`` for the block; yields its inbox."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()
