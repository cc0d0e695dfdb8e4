"""Device keys (server/devices/routes.py): given only to a signed-in person, the same one
after the next sign-in (offline work is opened and sent), refused once the device is closed."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import AuthSession
from tests.harness import ApiClient

DEVICE = str(uuid.uuid4())


def _key(client: ApiClient, device: str = DEVICE) -> Any:
    return client.post(f"/api/devices/{device}/key")


def test_a_device_key_is_given_only_to_a_signed_in_session(client: ApiClient) -> None:
    resp = _key(client)
    assert resp.status_code == 401


def test_the_same_person_gets_the_same_key_on_that_device_after_signing_in_again(
    as_user: Callable[[str], ApiClient],
) -> None:
    first = _key(as_user("familie"))
    assert first.status_code == 200
    assert len(base64.b64decode(first.get_json()["key"])) == 32
    # A new session (the old one expired while the tablet was offline): the same key.
    assert _key(as_user("familie")).get_json() == first.get_json()
    # Another person, or another device, never gets that key.
    assert _key(as_user("paedagog")).get_json() != first.get_json()
    assert _key(as_user("familie"), str(uuid.uuid4())).get_json() != first.get_json()


def test_signing_out_on_the_device_forgets_its_key(as_user: Callable[[str], ApiClient]) -> None:
    tablet = as_user("familie")
    assert _key(tablet).status_code == 200
    assert tablet.delete(f"/api/devices/{DEVICE}/key").status_code == 204
    refused = _key(as_user("familie"))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "device_closed"


def test_an_admin_closes_a_device_its_key_is_refused_and_the_sessions_end(
    as_user: Callable[[str], ApiClient], demo: dict[str, Any]
) -> None:
    tablet = as_user("familie")
    assert _key(tablet).status_code == 200
    admin = as_user("admin")
    user_id = tablet.get("/api/auth/me").get_json()["user"]["id"]
    [device] = admin.get(f"/api/devices?user_id={user_id}").get_json()
    assert device["device_id"] == DEVICE and device["closed_at"] is None
    assert "key" not in device
    closed = admin.post(f"/api/devices/{device['id']}/close")
    assert closed.status_code == 200 and closed.get_json()["closed_at"] is not None
    assert tablet.get("/api/auth/me").status_code == 401  # the session on it ended
    refused = _key(as_user("familie"))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "device_closed"


def test_only_an_admin_lists_or_closes_devices(as_user: Callable[[str], ApiClient]) -> None:
    tablet = as_user("familie")
    _key(tablet)
    user_id = tablet.get("/api/auth/me").get_json()["user"]["id"]
    assert tablet.get(f"/api/devices?user_id={user_id}").status_code == 403
    assert tablet.post(f"/api/devices/{uuid.uuid4()}/close").status_code == 403


def test_a_person_that_is_no_id_is_a_clear_422(as_user: Callable[[str], ApiClient]) -> None:
    """The fuzzer's find on PostgreSQL (a NUL byte in user_id was a 500 there): whatever is
    not a UUID is refused by field before the database sees it."""
    admin = as_user("admin")
    for bad in ("%00abc", "not-an-id", "x" * 36):
        answer = admin.get(f"/api/devices?user_id={bad}")
        assert answer.status_code == 422, bad
        assert "user_id" in answer.get_json()["error"]["fields"]


def test_the_key_goes_only_to_a_recent_sign_in(
    app: Flask, as_user: Callable[[str], ApiClient]
) -> None:
    """A copy of the tablet's profile carries the session's cookie: once the sign-in is
    DEVICE_KEY_FRESH_MINUTES old the key is refused (the PIN or a new sign-in opens), and a
    new sign-in gets the same key again."""
    tablet = as_user("familie")
    first = _key(tablet).get_json()
    fresh = timedelta(minutes=app.config["DEVICE_KEY_FRESH_MINUTES"])
    with app.app_context():
        for row in db.session.scalars(select(AuthSession)):
            row.created_at -= fresh
        db.session.commit()
    refused = _key(tablet)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "sign_in_not_fresh"
    assert tablet.get("/api/auth/me").status_code == 200  # the session itself still lives
    assert _key(as_user("familie")).get_json() == first
