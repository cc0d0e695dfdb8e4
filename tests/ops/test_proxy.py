"""TRUSTED_PROXY_HOPS: behind a load balancer the client's address and scheme come from its
X-Forwarded-* headers; without the setting those headers are nobody's word."""

from __future__ import annotations

from typing import Any

import pytest
from flask import request

from server import create_app
from server.config import ConfigError

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


@pytest.mark.parametrize(
    ("hops", "seen"),
    [
        (0, "127.0.0.1 http"),  # a client may send these headers itself: ignored
        (1, "203.0.113.7 https"),
    ],
)
def test_the_client_address_is_taken_from_the_proxy_only_when_configured(
    app_config: dict[str, Any], hops: int, seen: str
) -> None:
    app = create_app({**app_config, "TRUSTED_PROXY_HOPS": hops})

    @app.get("/test-only/who")
    def _who() -> str:
        return f"{request.remote_addr} {request.scheme}"

    client = app.test_client()
    assert client.get("/test-only/who", headers=FORWARDED).get_data(as_text=True) == seen


def test_only_the_last_hop_is_trusted(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "TRUSTED_PROXY_HOPS": 1})

    @app.get("/test-only/who")
    def _who() -> str:
        return str(request.remote_addr)

    # The client wrote the first address itself; the load balancer appended the real one.
    spoofed = {"X-Forwarded-For": "10.9.9.9, 198.51.100.23"}
    assert (
        app.test_client().get("/test-only/who", headers=spoofed).get_data(as_text=True)
        == "198.51.100.23"
    )


def test_the_retired_name_is_refused_rather_than_ignored(app_config: dict[str, Any]) -> None:
    # An operator following an older guide must not run with every client counted as the
    # load balancer (one shared sign-in limit for the whole municipality).
    with pytest.raises(ConfigError, match="TRUSTED_PROXY_HOPS"):
        create_app({**app_config, "PROXY_HOPS": 1})
