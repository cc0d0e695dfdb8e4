"""Issue 10, item 6, at the HTTP edge: what gunicorn and the JSON parser meet first.

Against real gunicorn: its own refusals (an HTML 414 for a long request line) are what an
attacker sees, and an in-process client would never meet them.
"""

from __future__ import annotations

import requests

from tests.attack.served import Served, error_shape_problems


def _json_error(resp: requests.Response) -> None:
    assert 400 <= resp.status_code < 500, f"{resp.status_code}: {resp.text[:200]}"
    try:
        body = resp.json()
    except ValueError:
        body = None
    problems = error_shape_problems(resp.status_code, resp.headers.get("Content-Type", ""), body)
    assert not problems, f"{problems}: {resp.text[:200]!r}"


def test_deeply_nested_json_is_a_clear_refusal(live: Served) -> None:
    familie = live.sign_in("familie@example.org")
    depth = 50_000
    body = (
        '{"client_id": "8c7a6e9e-2f0b-4a55-9d1e-3b1f6f0f9a11", "mutations": ['
        + "[" * depth
        + "]" * depth
        + "]}"
    )
    for url in ("/api/sync/push", "/api/notes"):
        resp = familie.post(
            f"{live.base}{url}", data=body, timeout=60, headers={"Content-Type": "application/json"}
        )
        _json_error(resp)
    assert familie.get(f"{live.base}/api/auth/me", timeout=30).status_code == 200


def test_a_100_kb_query_string_is_answered_in_the_error_shape(live: Served) -> None:
    familie = live.sign_in("familie@example.org")
    resp = familie.get(f"{live.base}/api/sync/pull?cursor={'A' * 100_000}", timeout=60)
    _json_error(resp)
    resp = familie.get(f"{live.base}/api/courses?{'x=' + 'y' * 100_000}", timeout=60)
    _json_error(resp)
