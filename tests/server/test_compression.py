"""Pull pages travel compressed; answers that carry a secret never do.

A tablet catches up over the meeting room's link: a page of a thousand records is ~370 KB of
JSON and a tenth of that compressed. Compression beside a secret an attacker can make the
page repeat (a CSRF token next to text the attacker wrote) leaks the secret through the
length (BREACH), so only the pull answer is compressed, never a page with a token in it.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

import brotli
import pytest
from flask import Flask

from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.reporting import fill_meeting, invitation_links, publish
from tests.server.syncclient import SYNC
from tests.server.world import created

try:  # Python 3.14 has it in the standard library; before, flask-compress brings the backport
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    from backports import zstd

EVERY_ENCODING = "zstd, br, gzip, deflate"
DECODE = {"zstd": zstd.decompress, "br": brotli.decompress, "gzip": gzip.decompress}


def _pull(client: Any, accept: str) -> Any:
    return client.post(
        "/api/sync/pull", {"cursor": "", "limit": 1000}, headers={**SYNC, "Accept-Encoding": accept}
    )


@pytest.mark.parametrize("encoding", ["zstd", "br", "gzip"])
def test_a_pull_page_comes_compressed_and_says_so(
    encoding: str, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    plain = _pull(familie, "identity")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    packed = _pull(familie, encoding)
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    body = DECODE[encoding](packed.get_data())
    assert json.loads(body) == json.loads(plain.get_data())
    assert len(packed.get_data()) * 3 < len(body)


def test_the_best_encoding_the_client_accepts_is_chosen(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    # Chromium sends all of these; Safari has no zstd.
    assert _pull(familie, EVERY_ENCODING).headers["Content-Encoding"] == "zstd"
    assert _pull(familie, "gzip, deflate, br").headers["Content-Encoding"] == "br"


def test_answers_that_carry_a_secret_are_never_compressed(
    app: Flask, as_user: Any, client: Any, demo: dict[str, Any]
) -> None:
    """The CSRF token (sign-in, the token route, a parents' page with its form) and the
    signed-in user stay uncompressed whatever the client accepts."""
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    headers = {"Accept-Encoding": EVERY_ENCODING}
    answers = {
        "csrf": client.get("/api/auth/csrf", headers=headers),
        "me": familie.get("/api/auth/me", headers=headers),
        "login": client.post(
            "/api/auth/login",
            headers={
                **headers,
                "X-CSRF-Token": client.get("/api/auth/csrf").get_json()["csrf_token"],
            },
            json={"email": "familie@example.org", "password": DEMO_PASSWORD},
        ),
    }
    assert "csrf_token" in answers["login"].get_json()
    links = invitation_links(app, demo["children"]["Emma"])
    phone = app.test_client()
    answers["invitation"] = phone.get(links["mor"], headers=headers)
    for name, answer in answers.items():
        assert answer.status_code < 500, name
        assert "Content-Encoding" not in answer.headers, name
    assert "csrf_token" in answers["invitation"].get_data(as_text=True)
