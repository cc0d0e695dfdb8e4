"""What every sync call checks first: the protocol version and the caller."""

from __future__ import annotations

from flask import request

from server.errors import ApiError

PROTOCOL_VERSION = 1
HEADER = "Sync-Protocol"


def check_protocol_version() -> None:
    """426 for a client that speaks an older protocol: it must reload to get the new app.

    Its unsent changes stay in its outbox (the client keeps them; nothing here touches them).
    """
    raw = request.headers.get(HEADER, "")
    try:
        version = int(raw)
    except ValueError:
        version = 0
    if version < PROTOCOL_VERSION:
        raise ApiError(
            426,
            "This version of the app is too old to sync. Reload the app to update it; "
            "your unsent changes are kept on this device.",
            "client_outdated",
            {HEADER: [f"Send {HEADER}: {PROTOCOL_VERSION}."]},
        )
    if version > PROTOCOL_VERSION:
        raise ApiError(
            400,
            f"The server speaks sync protocol {PROTOCOL_VERSION}, not {version}.",
            "protocol_unsupported",
            {HEADER: [f"Send {HEADER}: {PROTOCOL_VERSION}."]},
        )
