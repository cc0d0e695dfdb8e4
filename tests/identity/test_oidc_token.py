"""The ID token checks, against a provider whose every answer the test writes (pytest-httpserver
on 127.0.0.1): a token the real mock would never send must be refused for its own reason."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from pytest_httpserver import HTTPServer

from server.identity.errors import (
    CodeExchangeFailed,
    DiscoveryFailed,
    StateMismatch,
    TokenInvalid,
)
from server.identity.oidc import OidcClient
from server.identity.pending import PendingSignIn
from tests.identity.conftest import CALLBACK

CLIENT_ID = "trivsel-parents"


@pytest.fixture(scope="module")
def keys() -> dict[str, RSAKey]:
    """The provider's key, a rotated-in one, and an attacker's with the provider's key id."""
    return {
        "k1": RSAKey.generate_key(2048, parameters={"kid": "k1"}),
        "k2": RSAKey.generate_key(2048, parameters={"kid": "k2"}),
        "forged": RSAKey.generate_key(2048, parameters={"kid": "k1"}),
    }


class FakeProvider:
    """Discovery, keys and a token endpoint whose ID token the test chooses."""

    def __init__(self, server: HTTPServer, keys: dict[str, RSAKey]) -> None:
        self.server = server
        self.keys = keys
        self.issuer = server.url_for("").rstrip("/")
        self.published = ["k1"]
        self.id_token: str | None = None
        self.access_token = "opaque-access-token"
        self.discovery: dict[str, Any] = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        server.expect_request("/.well-known/openid-configuration").respond_with_handler(
            lambda _request: self._json(self.discovery)
        )
        server.expect_request("/jwks").respond_with_handler(
            lambda _request: self._json(
                KeySet([keys[k] for k in self.published]).as_dict(private=False)
            )
        )
        server.expect_request("/token", method="POST").respond_with_handler(
            lambda _request: self._json(
                {
                    "access_token": self.access_token,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    **({"id_token": self.id_token} if self.id_token else {}),
                }
            )
        )

    @staticmethod
    def _json(body: object) -> Any:
        from werkzeug import Response

        return Response(json.dumps(body), content_type="application/json")

    def claims(self, pending: PendingSignIn, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": "s-1",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": pending.nonce,
        }
        claims.update(changes)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict[str, Any], key: str = "k1") -> str:
        return jwt.encode({"alg": "RS256", "kid": self.keys[key].kid}, claims, self.keys[key])


@pytest.fixture
def provider(httpserver: HTTPServer, keys: dict[str, RSAKey]) -> Iterator[FakeProvider]:
    yield FakeProvider(httpserver, keys)


def _client(provider: FakeProvider) -> OidcClient:
    return OidcClient(provider.issuer, CLIENT_ID, "secret", CALLBACK)


def _finish(client: OidcClient, pending: PendingSignIn) -> Any:
    return client.finish({"state": pending.state, "code": "the-code"}, pending)


def test_a_well_formed_token_is_accepted(provider: FakeProvider) -> None:
    client = _client(provider)
    _, pending = client.begin()
    provider.id_token = provider.sign(provider.claims(pending))
    assert _finish(client, pending).subject == "s-1"


def _at_hash(token: str) -> str:
    half = hashlib.sha256(token.encode()).digest()[:16]
    return base64.urlsafe_b64encode(half).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "case",
    [
        "signed by another key",
        "wrong issuer",
        "wrong audience",
        "wrong audience, our azp",
        "several audiences, no azp",
        "expired",
        "issued in the future",
        "no nonce",
        "no expiry",
        "at_hash of another token",
        "no subject",
    ],
)
def test_a_token_that_does_not_hold_is_refused(provider: FakeProvider, case: str) -> None:
    client = _client(provider)
    _, pending = client.begin()
    now = int(time.time())
    claims, key = {
        "signed by another key": (provider.claims(pending), "forged"),
        "wrong issuer": (provider.claims(pending, iss="https://other.example"), "k1"),
        "wrong audience": (provider.claims(pending, aud="another-client"), "k1"),
        "wrong audience, our azp": (provider.claims(pending, aud="other", azp=CLIENT_ID), "k1"),
        "several audiences, no azp": (provider.claims(pending, aud=[CLIENT_ID, "x"]), "k1"),
        "expired": (provider.claims(pending, exp=now - 600, iat=now - 900), "k1"),
        "issued in the future": (provider.claims(pending, iat=now + 600), "k1"),
        "no nonce": (provider.claims(pending, nonce=None), "k1"),
        "no expiry": (provider.claims(pending, exp=None), "k1"),
        "at_hash of another token": (provider.claims(pending, at_hash=_at_hash("other")), "k1"),
        "no subject": (provider.claims(pending, sub=None), "k1"),
    }[case]
    provider.id_token = provider.sign(claims, key)
    with pytest.raises(TokenInvalid):
        _finish(client, pending)


def test_an_unsigned_token_is_refused(provider: FakeProvider) -> None:
    client = _client(provider)
    _, pending = client.begin()

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    provider.id_token = f"{part({'alg': 'none'})}.{part(provider.claims(pending))}."
    with pytest.raises(TokenInvalid):
        _finish(client, pending)


def test_no_id_token_is_refused(provider: FakeProvider) -> None:
    client = _client(provider)
    _, pending = client.begin()
    with pytest.raises(TokenInvalid):
        _finish(client, pending)


def test_a_key_the_provider_rotated_in_is_fetched(provider: FakeProvider) -> None:
    client = _client(provider)
    _, pending = client.begin()
    provider.id_token = provider.sign(provider.claims(pending))
    _finish(client, pending)  # the keys are read and kept: only k1
    provider.published = ["k2", "k1"]
    _, pending = client.begin()
    provider.id_token = provider.sign(provider.claims(pending), "k2")
    assert _finish(client, pending).subject == "s-1"


def test_a_token_endpoint_error_is_a_failed_exchange(
    provider: FakeProvider, httpserver: HTTPServer
) -> None:
    client = _client(provider)
    _, pending = client.begin()
    provider.discovery["token_endpoint"] = f"{provider.issuer}/broken"
    client = _client(provider)  # reads discovery anew
    _, pending = client.begin()
    httpserver.expect_request("/broken").respond_with_json({"error": "server_error"}, status=500)
    with pytest.raises(CodeExchangeFailed):
        _finish(client, pending)


def test_discovery_that_names_another_issuer_is_refused(provider: FakeProvider) -> None:
    provider.discovery["issuer"] = "https://broker.example.dk"
    with pytest.raises(DiscoveryFailed):
        _client(provider).begin()


def test_discovery_with_an_insecure_endpoint_is_refused(provider: FakeProvider) -> None:
    provider.discovery["token_endpoint"] = "http://broker.example.dk/token"
    with pytest.raises(DiscoveryFailed):
        _client(provider).begin()


def test_a_provider_that_names_itself_must_do_so_in_the_callback(provider: FakeProvider) -> None:
    provider.discovery["authorization_response_iss_parameter_supported"] = True
    client = _client(provider)
    _, pending = client.begin()
    provider.id_token = provider.sign(provider.claims(pending))
    with pytest.raises(StateMismatch):
        _finish(client, pending)  # no iss in the callback
    args = {"state": pending.state, "code": "the-code", "iss": provider.issuer}
    assert client.finish(args, pending).subject == "s-1"
