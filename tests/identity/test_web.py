"""A sign-in through a Flask app's two routes over real HTTP: a browser stand-in with its own
cookie jar, the app on 127.0.0.1, the provider on another port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask, request
from werkzeug import Response
from werkzeug.serving import make_server

from server.identity.errors import SignInError
from server.identity.loa import Loa
from server.identity.oidc import CPR_CLAIM, OidcClient
from server.identity.web import SignInFlow


@dataclass
class App:
    url: str
    flow: SignInFlow


@pytest.fixture
def app(issuer: str) -> Iterator[App]:
    """A two-route app, the shape of next session's parents' sign-in."""
    web = Flask(__name__)
    server = make_server("127.0.0.1", 0, web, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    client = OidcClient(
        issuer,
        "trivsel-parents",
        "s",
        f"{base}/p/login/callback",
        min_loa=Loa.SUBSTANTIAL,
        cpr_claim=CPR_CLAIM,
    )
    flow = SignInFlow(client, "app-secret", "parents", "/p/login/callback", secure=False)

    @web.get("/p/login")
    def login() -> Response:
        return flow.start()

    @web.get("/p/login/callback")
    def callback() -> Response:
        try:
            identity = flow.finish(request)
        except SignInError as exc:
            return flow.clear(Response(type(exc).__name__, status=403))
        return flow.clear(Response(f"{identity.subject} {identity.cpr}"))

    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield App(base, flow)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _to_provider(browser: requests.Session, app: App) -> str:
    started = browser.get(f"{app.url}/p/login", allow_redirects=False, timeout=10)
    assert started.status_code == 303
    return started.headers["Location"]


def _callback_url(authorize_url: str, sub: str) -> str:
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    return answer.headers["Location"]


def test_a_parent_signs_in_through_the_two_routes(app: App) -> None:
    browser = requests.Session()
    started = browser.get(f"{app.url}/p/login", allow_redirects=False, timeout=10)
    cookie = started.headers["Set-Cookie"]
    assert cookie.startswith("trivsel_signin_parents=")
    for attribute in ("HttpOnly", "SameSite=Lax", "Path=/p/login/callback", "Max-Age=600"):
        assert attribute in cookie
    assert started.headers["Cache-Control"] == "no-store"
    callback = _callback_url(started.headers["Location"], "mitid-mette")
    assert urlsplit(callback).path == "/p/login/callback"
    done = browser.get(callback, timeout=10)
    assert (done.status_code, done.text) == (200, "mitid-mette 010155-XXXX")
    assert "trivsel_signin_parents" not in browser.cookies  # cleared


def test_the_same_browser_replaying_the_callback_is_refused(app: App) -> None:
    browser = requests.Session()
    callback = _callback_url(_to_provider(browser, app), "mitid-mette")
    assert browser.get(callback, timeout=10).status_code == 200
    again = browser.get(callback, timeout=10)
    assert (again.status_code, again.text) == (403, "SignInExpired")


def test_a_captured_callback_and_cookie_replayed_are_refused(app: App) -> None:
    browser = requests.Session()
    callback = _callback_url(_to_provider(browser, app), "mitid-mette")
    captured = browser.cookies.get("trivsel_signin_parents", path="/p/login/callback")
    assert captured is not None
    assert browser.get(callback, timeout=10).status_code == 200
    attacker = requests.Session()
    attacker.cookies.set("trivsel_signin_parents", captured, path="/p/login/callback")
    replayed = attacker.get(callback, timeout=10)
    assert (replayed.status_code, replayed.text) == (403, "CallbackReplayed")


def test_an_attackers_callback_in_a_victims_browser_is_refused(app: App) -> None:
    """Login CSRF: the victim's browser, mid sign-in, is sent the attacker's callback."""
    victim, attacker = requests.Session(), requests.Session()
    _to_provider(victim, app)
    attackers_callback = _callback_url(_to_provider(attacker, app), "mitid-uden")
    answer = victim.get(attackers_callback, timeout=10)
    assert (answer.status_code, answer.text) == (403, "StateMismatch")


def test_a_low_assurance_is_refused_and_the_cookie_cleared(app: App) -> None:
    browser = requests.Session()
    answer = browser.get(_callback_url(_to_provider(browser, app), "mitid-mette-low"), timeout=10)
    assert (answer.status_code, answer.text) == (403, "LoaTooLow")
    assert "trivsel_signin_parents" not in browser.cookies
