"""A test client that behaves like the PWA: JSON bodies, cookies, the CSRF header."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


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
        return getattr(self.raw, method)(url, headers=headers, **kw)
