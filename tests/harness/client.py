"""Clients that behave like the PWA: JSON bodies, cookies, the CSRF header on every write.

``ApiClient`` talks to an app in this process (Flask's test client); ``HttpClient`` to a
served app over real HTTP. Both are a ``Client``, so the sync client, the seeding helpers
and the suites' steps work with either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

SYNC = {"Sync-Protocol": "1"}


class Answer(Protocol):
    """What a test reads of an answer, whichever client got it."""

    @property
    def status_code(self) -> int: ...

    @property
    def data(self) -> bytes: ...

    def get_json(self) -> Any: ...


class Client(Protocol):
    """A signed-in (or anonymous) client of the API."""

    def get(self, url: str, **kw: Any) -> Answer: ...

    def post(self, url: str, body: Any = None, **kw: Any) -> Answer: ...

    def patch(self, url: str, body: Any = None, **kw: Any) -> Answer: ...

    def put(self, url: str, body: Any = None, **kw: Any) -> Answer: ...


class ApiClient:
    """Wraps Flask's test client; every write carries X-CSRF-Token like the app's."""

    def __init__(self, client: FlaskClient) -> None:
        self.raw = client
        self.csrf_token: str | None = None

    def login(self, email: str, password: str) -> TestResponse:
        resp = self.post("/api/auth/login", {"email": email, "password": password})
        assert resp.status_code == 200, resp.get_json()
        self.csrf_token = resp.get_json()["csrf_token"]
        return resp

    def _token(self) -> str:
        if self.csrf_token is None:
            self.csrf_token = self.raw.get("/api/auth/csrf").get_json()["csrf_token"]
        return self.csrf_token

    def get(self, url: str, **kw: Any) -> TestResponse:
        return self.raw.get(url, **kw)

    def post(self, url: str, body: Any = None, **kw: Any) -> TestResponse:
        return self._write("post", url, body, **kw)

    def patch(self, url: str, body: Any = None, **kw: Any) -> TestResponse:
        return self._write("patch", url, body, **kw)

    def put(self, url: str, body: Any = None, **kw: Any) -> TestResponse:
        return self._write("put", url, body, **kw)

    def delete(self, url: str, **kw: Any) -> TestResponse:
        return self._write("delete", url, None, **kw)

    def _write(self, method: str, url: str, body: Any, **kw: Any) -> TestResponse:
        headers = {"X-CSRF-Token": self._token(), **kw.pop("headers", {})}
        if body is not None:
            kw["json"] = body
        resp: TestResponse = getattr(self.raw, method)(url, headers=headers, **kw)
        return resp


class HttpAnswer:
    """A requests answer with the test client's ``get_json``."""

    def __init__(self, resp: requests.Response) -> None:
        self.resp = resp
        self.status_code = resp.status_code
        self.data = resp.content
        self.headers = resp.headers

    def get_json(self) -> Any:
        return self.resp.json()


@dataclass
class HttpClient:
    """A client of a served app over HTTP; ``via`` moves it to another instance, cookies
    and all, as a load balancer without sticky sessions would."""

    base: str
    session: requests.Session = field(default_factory=requests.Session)

    def via(self, base: str) -> HttpClient:
        return HttpClient(base, self.session)

    def get(self, url: str, **kw: Any) -> HttpAnswer:
        return self._call("get", url, None, **kw)

    def post(self, url: str, body: Any = None, **kw: Any) -> HttpAnswer:
        return self._call("post", url, body, **kw)

    def patch(self, url: str, body: Any = None, **kw: Any) -> HttpAnswer:
        return self._call("patch", url, body, **kw)

    def put(self, url: str, body: Any = None, **kw: Any) -> HttpAnswer:
        return self._call("put", url, body, **kw)

    def _call(self, method: str, url: str, body: Any, **kw: Any) -> HttpAnswer:
        if body is not None:
            kw["json"] = body
        kw.setdefault("timeout", 60)
        return HttpAnswer(self.session.request(method, f"{self.base}{url}", **kw))


def sign_in(
    base: str,
    email: str,
    password: str,
    session: requests.Session | None = None,
) -> requests.Session:
    """Sign in over HTTP as the PWA does: fetch a token, log in, keep the new token (sent on
    every later call of the session)."""
    http = session or requests.Session()
    token = http.get(f"{base}/api/auth/csrf", timeout=30).json()["csrf_token"]
    resp = http.post(
        f"{base}/api/auth/login",
        json={"email": email, "password": password},
        headers={"X-CSRF-Token": token},
        timeout=30,
    )
    assert resp.status_code == 200, (email, resp.status_code, resp.text[:300])
    http.headers["X-CSRF-Token"] = resp.json()["csrf_token"]
    return http
