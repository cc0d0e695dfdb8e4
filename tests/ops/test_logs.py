"""Logs: one JSON object per line, every line of a request with its id, no secrets."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask, current_app

from server import create_app
from server.parents import guardian_access
from tests.harness import ApiClient
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.reporting import fill_meeting, form_token, invitation_links, publish


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "LOG_FORMAT": "json"}


def lines(err: str) -> list[dict[str, Any]]:
    """Every line written to stderr, each of which must be one JSON object."""
    parsed = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert all(isinstance(obj, dict) for obj in parsed)
    return parsed


def test_every_line_of_a_request_carries_its_id_and_the_access_line_its_facts(
    app: Flask, demo: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    @app.get("/test-only/log")
    def _logs_twice() -> str:
        current_app.logger.info("first line")
        logging.getLogger("server.somewhere").warning("second line")
        return "ok"

    capsys.readouterr()
    # buffered: the test client closes the answer at once, as a server does once it is sent
    resp = app.test_client().get(
        "/test-only/log?token=abc123", buffered=True, headers={"X-Request-ID": "lb-7f3a-0001"}
    )
    assert resp.headers["X-Request-ID"] == "lb-7f3a-0001"
    mine = [
        line for line in lines(capsys.readouterr().err) if line.get("request_id") == "lb-7f3a-0001"
    ]
    assert [line["message"] for line in mine] == [
        "first line",
        "second line",
        "GET /test-only/log 200",
    ]
    access = mine[-1]
    assert access["logger"] == "trivsel.access"
    assert (access["method"], access["path"], access["route"], access["status"]) == (
        "GET",
        "/test-only/log",
        "/test-only/log",
        200,
    )
    assert isinstance(access["duration_ms"], float)
    assert {"time", "level"} <= set(access)
    assert "abc123" not in json.dumps(mine)  # the query string is never logged


@pytest.mark.parametrize(
    "given",
    [
        "",
        "has space",
        "tab\there",
        "x" * 129,
        '{"json": 1}',
        "ünïcode",
    ],
)
def test_an_unfit_incoming_id_is_replaced_by_a_new_one(app: Flask, given: str) -> None:
    headers = {"X-Request-ID": given} if given else {}
    made = app.test_client().get("/healthz", headers=headers).headers["X-Request-ID"]
    assert made != given and len(made) == 32 and int(made, 16) >= 0
    again = app.test_client().get("/healthz", headers=headers).headers["X-Request-ID"]
    assert again != made  # a new id per request


def test_no_password_cookie_csrf_token_or_link_secret_reaches_the_log(
    app: Flask, demo: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    familie = ApiClient(app.test_client())
    login = familie.login("familie@example.org", DEMO_PASSWORD)
    fill_meeting(familie, demo["meeting"])
    assert publish(familie, demo["meeting"]).status_code == 201
    link = invitation_links(app, demo["children"]["Emma"])["mor"]
    secret = link.rsplit("/", 1)[1]
    phone = app.test_client()
    page = phone.get(f"{link}?to=consent", buffered=True)
    assert page.status_code == 200
    form_secret = form_token(page)
    assert phone.post(link, data={"csrf_token": form_secret}, buffered=True).status_code == 303
    err = capsys.readouterr().err
    parsed = lines(err)
    session_cookie = login.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    parent_cookie = phone.get_cookie(guardian_access.COOKIE, path="/p/")
    assert parent_cookie is not None
    for secret_text in (
        DEMO_PASSWORD,
        familie.csrf_token,
        session_cookie,
        parent_cookie.value,
        secret,
        form_secret,
    ):
        assert secret_text and secret_text not in err
    opened = [line for line in parsed if line.get("route") == "/p/invitation/<secret>"]
    assert [(line["method"], line["path"], line["status"]) for line in opened] == [
        ("GET", "/p/invitation/[redacted]", 200),
        ("POST", "/p/invitation/[redacted]", 303),
    ]


def test_a_secret_in_an_exceptions_text_is_redacted(
    app: Flask, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(secret: str) -> None:
        raise RuntimeError(f"lookup of /p/invitation/{secret} failed")

    monkeypatch.setattr(guardian_access, "peek", broken)
    resp = app.test_client().get("/p/invitation/SeCrEt-value_123", buffered=True)
    assert resp.status_code == 500
    err = capsys.readouterr().err
    assert "SeCrEt-value_123" not in err
    failure = next(line for line in lines(err) if line["level"] == "ERROR")
    assert failure["request_id"] == resp.headers["X-Request-ID"]
    assert "/p/invitation/[redacted]" in failure["exc_info"]


def test_text_format_on_a_developers_machine_is_one_readable_line_with_the_id(
    app_config: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app({**app_config, "LOG_FORMAT": ""})  # testing: text by default
    capsys.readouterr()
    resp = app.test_client().get("/api/auth/me", buffered=True)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert f"[{resp.headers['X-Request-ID']}] GET /api/auth/me 401 (duration_ms=" in err[0]
    assert " INFO " in err[0] and "trivsel.access" in err[0]
