"""People choose their own password through a one-time link (server/users/links.py): single
use, expiring, stored as a digest, replaced by a newer link, dead with the account."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select, update

from server.extensions import db
from server.letters.outbox import redact
from server.models import PasswordToken
from server.models._common import utcnow
from tests.harness import ApiClient
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.accounts import approve, choose_password, link_secrets

NEW = "a-good-new-password"


def _use(app: Flask, secret: str, password: str = NEW) -> Any:
    return ApiClient(app.test_client()).post(
        "/api/auth/password-link", {"token": secret, "password": password}
    )


def _signs_in(app: Flask, email: str, password: str) -> bool:
    resp = ApiClient(app.test_client()).post(
        "/api/auth/login", {"email": email, "password": password}
    )
    return resp.status_code == 200


def test_a_link_works_once_and_only_its_digest_is_stored(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin = as_user("admin")
    assert admin.post(f"/api/users/{demo['users']['ppr']}/password-link").status_code == 204
    secret = link_secrets(app, "ppr@example.org")[-1]
    with app.app_context():
        row = db.session.scalars(select(PasswordToken)).one()
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in repr([row.token_hash, row.purpose, row.user_id])
    assert _use(app, secret).status_code == 204
    assert _signs_in(app, "ppr@example.org", "a-good-new-password")
    assert not _signs_in(app, "ppr@example.org", DEMO_PASSWORD)
    again = _use(app, secret, "the-thief-password")
    assert again.status_code == 404 and again.get_json()["error"]["code"] == "link_invalid"
    assert not _signs_in(app, "ppr@example.org", "the-thief-password")


def test_an_expired_replaced_or_unknown_link_sets_nothing(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin = as_user("admin")
    url = f"/api/users/{demo['users']['ppr']}/password-link"
    admin.post(url)
    first = link_secrets(app, "ppr@example.org")[-1]
    admin.post(url)
    second = link_secrets(app, "ppr@example.org")[-1]
    assert _use(app, first).status_code == 404  # the newer link replaced it
    with app.app_context():
        db.session.execute(update(PasswordToken).values(expires_at=utcnow() - timedelta(1)))
        db.session.commit()
    assert _use(app, second).status_code == 404
    assert _use(app, "x" * 43).status_code == 404
    assert _signs_in(app, "ppr@example.org", DEMO_PASSWORD)


def test_a_link_dies_with_the_account_and_with_an_e_mail_change(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin, admin2 = as_user("admin"), as_user("admin2")
    user_id = demo["users"]["ppr"]
    admin.post(f"/api/users/{user_id}/password-link")
    secret = link_secrets(app, "ppr@example.org")[-1]
    change = admin.patch(f"/api/users/{user_id}", {"email": "poul@example.org"}).get_json()
    approve(admin2, change["pending_change"]["id"])
    assert _use(app, secret).status_code == 404  # it went to the old address
    admin.post(f"/api/users/{user_id}/password-link")
    secret = link_secrets(app, "poul@example.org")[-1]
    assert admin.delete(f"/api/users/{user_id}").status_code == 204
    assert _use(app, secret).status_code == 404
    resp = admin.post(f"/api/users/{user_id}/password-link")
    assert resp.status_code == 409  # no link to an inactive account


def test_the_new_password_is_checked_and_a_sent_copy_keeps_no_secret(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    as_user("admin").post(f"/api/users/{demo['users']['ppr']}/password-link")
    secret = link_secrets(app, "ppr@example.org")[-1]
    short = _use(app, secret, "short")
    assert short.status_code == 422 and "password" in short.get_json()["error"]["fields"]
    body = f"Vælg her: http://127.0.0.1:8000/adgangskode#{secret}\n"
    assert secret not in redact(body)
    choose_password(app, "ppr@example.org", "long-enough-password")  # still usable


def test_an_account_waiting_for_approval_has_no_usable_password(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin = as_user("admin")
    user = admin.post(
        "/api/users", {"email": "ny@example.org", "name": "Ny", "role": "psychologist"}
    ).get_json()
    assert admin.post(f"/api/users/{user['id']}/password-link").status_code == 409
    # An empty hash matches no password, not even the timing dummy's.
    for guess in ("not-a-real-password", "x", DEMO_PASSWORD):
        assert not _signs_in(app, "ny@example.org", guess)
    assert link_secrets(app, "ny@example.org") == []


def test_a_signed_in_person_changes_their_own_password_knowing_the_current_one(
    app: Flask, as_user: Any
) -> None:
    ppr = as_user("ppr")
    wrong = ppr.post(
        "/api/auth/password", {"current_password": "wrong", "password": "brand-new-password"}
    )
    assert wrong.status_code == 422 and "current_password" in wrong.get_json()["error"]["fields"]
    assert (
        ppr.post(
            "/api/auth/password",
            {"current_password": DEMO_PASSWORD, "password": "brand-new-password"},
        ).status_code
        == 204
    )
    assert _signs_in(app, "ppr@example.org", "brand-new-password")
    history = ppr.get("/api/auth/me/history").get_json()
    assert history[0]["action"] == "password_set"
