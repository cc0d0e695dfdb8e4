"""The identity suites' fixtures: the local OpenID Connect provider over real HTTP on
127.0.0.1, and a browser stand-in that signs a user in at it."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from oidc_provider_mock import app as provider_app
from werkzeug.serving import make_server

from server.identity.dev_provider import demo_users, running_provider
from server.identity.loa import Loa
from server.identity.oidc import CPR_CLAIM, OidcClient

# Never fetched: the provider redirects the browser there, and the tests read the redirect.
CALLBACK = "http://127.0.0.1:9/p/login/callback"


@pytest.fixture(scope="session")
def issuer() -> Iterator[str]:
    """oidc-provider-mock with the demo users, for this test process."""
    with running_provider() as url:
        yield url


@pytest.fixture
def parent_client(issuer: str) -> OidcClient:
    """A relying party configured as the parents' portal will be (PARENT_MIN_LOA=Substantial)."""
    return OidcClient(
        issuer,
        "trivsel-parents",
        "parents-secret",
        CALLBACK,
        ("openid", "profile"),
        min_loa=Loa.SUBSTANTIAL,
        cpr_claim=CPR_CLAIM,
    )


SignIn = Callable[..., dict[str, str]]


@pytest.fixture
def sign_in() -> SignIn:
    """Play the browser at the provider: open the authorization URL and pick a user (or
    deny); the callback's query arguments the provider redirects to."""

    def run(authorize_url: str, sub: str | None = None, *, deny: bool = False) -> dict[str, str]:
        form = {"action": "deny"} if deny else {"sub": sub or ""}
        answer = requests.post(authorize_url, data=form, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        location = answer.headers["Location"]
        assert location.startswith(CALLBACK)
        return dict(parse_qsl(urlsplit(location).query))

    return run


class RecordingProvider:
    """A provider of its own that keeps every token request's form, to see what the relying
    party sent (the mock does not check PKCE itself)."""

    def __init__(self) -> None:
        self.token_requests: list[dict[str, str]] = []
        self.issuer = ""

    def wsgi(self, inner: Any) -> Any:
        def app(environ: dict[str, Any], start_response: Any) -> Any:
            if environ["PATH_INFO"] == "/oauth2/token":
                body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                environ["wsgi.input"] = io.BytesIO(body)  # the provider reads it again
                self.token_requests.append(dict(parse_qsl(body.decode())))
            return inner(environ, start_response)

        return app


@pytest.fixture
def recording_provider() -> Iterator[RecordingProvider]:
    """A fresh provider with the demo users whose token requests are kept."""
    recorder = RecordingProvider()
    server = make_server(
        "127.0.0.1",
        0,
        recorder.wsgi(provider_app(require_nonce=True, user_claims=demo_users())),
        threaded=True,
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    recorder.issuer = f"http://127.0.0.1:{server.server_port}"
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
