"""X-Forwarded-For from a peer that is not the proxy (issue 19, finding 9).

With ``TRUSTED_PROXY_HOPS=1`` the old code believed the header from whoever connected. An
instance reachable without the load balancer then let a client write a new address on each
sign-in attempt, and the throttle, which counts per address, never counted the same client
twice. Now the header counts only from the peers in ``TRUSTED_PROXIES``, and production does
not start with the hops set and no proxies named.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import pytest
from flask import Flask, request

from server import create_app
from server.config import ConfigError
from server.identity.cpr_crypto import new_key_entry
from tests.harness import ApiClient

# Passwords only: the limit under attack is the password sign-in's throttle (the route answers
# 404 with passwords off; the provider owns lock-out then).
PASSWORDS_ONLY = True

PROXY = "10.0.0.1"
OUTSIDER = "203.0.113.9"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """One load balancer at 10.0.0.1; five failures an hour per address."""
    return {
        **app_config,
        "TRUSTED_PROXY_HOPS": 1,
        "TRUSTED_PROXIES": f"{PROXY}, 10.8.0.0/16",
        "LOGIN_FAILURE_LIMIT": "5 per hour",
    }


def guesses(app: Flask, peer: str, forwarded: list[str]) -> Counter[int]:
    """One wrong password per X-Forwarded-For value, each from a fresh browser at ``peer``."""
    statuses: Counter[int] = Counter()
    for i, address in enumerate(forwarded):
        client = ApiClient(app.test_client())
        resp = client.post(
            "/api/auth/login",
            {"email": f"user{i}@example.org", "password": "x"},
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": peer},
        )
        statuses[resp.status_code] += 1
    return statuses


def test_rotating_forwarded_addresses_from_an_outsider_do_not_escape_the_limit(
    app: Flask, demo: dict[str, Any]
) -> None:
    """The attack: twelve guesses, each claiming another address, sent straight to the app."""
    rotating = [f"198.51.100.{i}" for i in range(12)]
    assert guesses(app, OUTSIDER, rotating) == {401: 5, 429: 7}


def test_the_configured_proxy_is_believed(app: Flask, demo: dict[str, Any]) -> None:
    """Behind the balancer each client is counted on its own address: twelve clients with one
    guess each are all answered; one client guessing twelve times is limited."""
    assert guesses(app, PROXY, [f"198.51.100.{i}" for i in range(12)]) == {401: 12}
    assert guesses(app, "10.8.3.4", ["192.0.2.77"] * 12) == {401: 5, 429: 7}  # in the network


def test_an_outsider_gets_neither_its_forwarded_address_nor_its_scheme(
    app_config: dict[str, Any],
) -> None:
    app = create_app(app_config)

    @app.get("/test-only/who")
    def _who() -> str:
        return f"{request.remote_addr} {request.scheme}"

    forwarded = {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https"}
    client = app.test_client()

    def seen(peer: str) -> str:
        return client.get(
            "/test-only/who", headers=forwarded, environ_base={"REMOTE_ADDR": peer}
        ).get_data(as_text=True)

    assert seen(OUTSIDER) == f"{OUTSIDER} http"
    assert seen("") == " http"  # a Unix socket's peer has no address: never a proxy
    assert seen(PROXY) == "198.51.100.1 https"
    assert seen(f"::ffff:{PROXY}") == "198.51.100.1 https"  # a dual-stack socket's view


def test_production_does_not_start_believing_anyone(app_config: dict[str, Any]) -> None:
    production = {
        **app_config,
        "TRIVSEL_ENV": "production",
        "SECRET_KEY": "s" * 32,
        "CPR_KEY": new_key_entry("k1"),
        "TRUSTED_PROXY_HOPS": 1,
    }
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        create_app({**production, "TRUSTED_PROXIES": ""})
    create_app(production)  # with the proxies named it starts


def test_development_says_so_at_start(
    app_config: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        create_app({**app_config, "TRUSTED_PROXIES": ""})
    assert any(
        "TRUSTED_PROXIES" in r.getMessage() and "throttle" in r.getMessage() for r in caplog.records
    ), caplog.text


@pytest.mark.parametrize(
    ("proxies", "hops"), [("10.0.0.300", 1), ("proxy.internal", 1), (PROXY, 0)]
)
def test_a_proxy_setting_that_cannot_work_is_refused(
    app_config: dict[str, Any], proxies: str, hops: int
) -> None:
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        create_app({**app_config, "TRUSTED_PROXIES": proxies, "TRUSTED_PROXY_HOPS": hops})
