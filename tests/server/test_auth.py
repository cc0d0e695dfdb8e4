"""Signing in and out, sessions and CSRF (throttling: test_login_throttle.py; sessions ended
by account changes: test_accounts.py)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from server.extensions import db
from server.models import User
from tests.harness import ApiClient
from tests.harness.fixtures import DEMO_PASSWORD


def test_sign_in_sets_a_protected_session_cookie_and_me_says_who(
    client: ApiClient, demo: dict[str, Any]
) -> None:
    resp = client.login("familie@example.org", DEMO_PASSWORD)
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    me = client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.get_json()["user"]["email"] == "familie@example.org"
    assert me.get_json()["user"]["role"] == "family_unit"
    assert "password_hash" not in me.get_json()["user"]


def test_email_is_matched_without_regard_to_case(client: ApiClient, demo: dict[str, Any]) -> None:
    client.login("  Familie@Example.ORG", DEMO_PASSWORD)
    assert client.get("/api/auth/me").status_code == 200


def test_nobody_signed_in_gets_401_in_the_error_shape(client: ApiClient) -> None:
    resp = client.get("/api/auth/me")
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "unauthorized"
    assert resp.get_json()["error"]["message"]


def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: ApiClient, demo: dict[str, Any]
) -> None:
    wrong = client.post("/api/auth/login", {"email": "familie@example.org", "password": "nope"})
    unknown = client.post("/api/auth/login", {"email": "nobody@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert client.get("/api/auth/me").status_code == 401


def test_login_with_bad_fields_gets_per_field_messages(client: ApiClient) -> None:
    resp = client.post("/api/auth/login", {"email": "not-an-email"})
    assert resp.status_code == 422
    fields = resp.get_json()["error"]["fields"]
    assert set(fields) == {"email", "password"}
    assert all(isinstance(m, str) for msgs in fields.values() for m in msgs)


def test_deactivated_user_can_no_longer_sign_in_or_use_a_session(
    app: Flask, client: ApiClient, demo: dict[str, Any]
) -> None:
    client.login("paedagog@example.org", DEMO_PASSWORD)
    with app.app_context():
        user = db.session.get(User, demo["users"]["paedagog"])
        assert user is not None
        user.active = False
        db.session.commit()
    assert client.get("/api/auth/me").status_code == 401
    again = client.post(
        "/api/auth/login", {"email": "paedagog@example.org", "password": DEMO_PASSWORD}
    )
    assert again.status_code == 401, again.get_json()


def test_logout_ends_the_session_even_for_a_copied_cookie(
    app: Flask, client: ApiClient, demo: dict[str, Any]
) -> None:
    client.login("familie@example.org", DEMO_PASSWORD)
    cookie = client.raw.get_cookie("trivsel_session")
    assert cookie is not None
    assert client.post("/api/auth/logout").status_code == 204
    assert client.get("/api/auth/me").status_code == 401
    thief = app.test_client()
    thief.set_cookie("trivsel_session", cookie.value)
    assert thief.get("/api/auth/me").status_code == 401


def test_idle_session_expires(app_config: dict[str, Any], demo: dict[str, Any], app: Flask) -> None:
    from datetime import timedelta

    from sqlalchemy import select

    from server.models import AuthSession

    client = ApiClient(app.test_client())
    client.login("familie@example.org", DEMO_PASSWORD)
    with app.app_context():
        row = db.session.scalars(select(AuthSession)).one()
        row.last_seen_at = row.last_seen_at - timedelta(hours=13)
        db.session.commit()
    assert client.get("/api/auth/me").status_code == 401


def test_write_without_csrf_token_is_refused_and_changes_nothing(
    as_user: Any, demo: dict[str, Any]
) -> None:
    client = as_user("familie")
    url = f"/api/courses/{demo['course']}"
    before = client.get(url).get_json()
    resp = client.raw.patch(url, json={"reason": "changed by a forged request"})
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "csrf_failed"
    bad = client.raw.patch(url, json={"reason": "x"}, headers={"X-CSRF-Token": "forged"})
    assert bad.status_code == 400
    assert client.get(url).get_json()["reason"] == before["reason"]


def test_login_itself_needs_the_csrf_token(client: ApiClient, demo: dict[str, Any]) -> None:
    resp = client.raw.post(
        "/api/auth/login", json={"email": "familie@example.org", "password": DEMO_PASSWORD}
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "csrf_failed"


def test_an_answer_to_an_ended_session_leaves_the_cookie_alone(
    app: Flask, demo: dict[str, Any]
) -> None:
    """A tablet whose session ended signs in again (the provider's redirect) while a request
    of the old session is still on its way: that request's answer must not set the cookie,
    or it replaces the new session's and the app comes back signed out (seen once in a full
    run of tests/browser/test_staff_signin.py). Nor does an answer of a live session re-send
    it: the cookie changes only when the session does."""
    from sqlalchemy import update

    from server.models import AuthSession

    client = ApiClient(app.test_client())
    client.login("familie@example.org", DEMO_PASSWORD)
    live = client.get("/api/auth/me")
    assert live.status_code == 200 and "Set-Cookie" not in live.headers
    with app.app_context():
        db.session.execute(update(AuthSession).values(revoked_at=AuthSession.last_seen_at))
        db.session.commit()
    late = client.get("/api/courses")
    assert late.status_code == 401
    assert "Set-Cookie" not in late.headers
