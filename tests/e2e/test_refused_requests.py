"""What real HTTP clients can send that never reaches a view, through gunicorn: the answer is
still the API's one error shape (issue 10 item 6), never gunicorn's HTML page or a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.harness import gunicorn, migrated_database_url, settings

pytestmark = pytest.mark.slow


def _is_error(resp: requests.Response, status: int, code: str | None = None) -> None:
    assert resp.status_code == status, resp.text[:300]
    assert resp.headers["Content-Type"].startswith("application/json"), resp.headers
    error = resp.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    assert code is None or error["code"] == code, error


def test_refused_requests_get_the_json_error_shape(tmp_path: Path) -> None:
    env = settings(tmp_path, migrated_database_url(tmp_path, "refused"))
    with gunicorn(env, workers=1) as base:
        session = requests.Session()
        token = session.get(f"{base}/api/auth/csrf", timeout=30).json()["csrf_token"]
        headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
        # An address within the limit reaches the app (here: nobody is signed in).
        _is_error(session.get(f"{base}/api/courses?q={'a' * 6000}", timeout=30), 401)
        for size in (9_000, 100_000):  # over gunicorn's limit: answered by the worker
            _is_error(
                session.get(f"{base}/api/courses?q={'x' * size}", timeout=30), 414, "uri_too_long"
            )
        too_many_headers = {f"X-Filler-{i}": "x" for i in range(150)}
        _is_error(
            session.get(f"{base}/api/courses", headers=too_many_headers, timeout=30),
            431,
            "headers_too_large",
        )
        deep = "[" * 50_000 + "]" * 50_000
        _is_error(
            session.post(f"{base}/api/auth/login", data=deep, headers=headers, timeout=30), 400
        )
        surrogate = '{"email": "a@example.org", "password": "\\ud800"}'
        _is_error(
            session.post(f"{base}/api/auth/login", data=surrogate, headers=headers, timeout=30),
            422,
            "invalid",
        )
        # and the worker still serves afterwards
        assert session.get(f"{base}/api/auth/csrf", timeout=30).status_code == 200
