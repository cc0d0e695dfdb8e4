"""Admins manage staff accounts: nobody raises their own access, and a change of someone's
role, institution or password, or their deactivation, ends that person's sessions for good.

A change of access takes effect when a second admin approves it (tests/server/accounts.py);
a password is chosen by the person through an e-mailed link."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import AuthSession, User
from tests.harness import ApiClient
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.accounts import change, choose_password


def signed_in(app: Flask, name: str) -> ApiClient:
    client = ApiClient(app.test_client())
    client.login(f"{name}@example.org", DEMO_PASSWORD)
    return client


def live_sessions(app: Flask, user_id: str) -> int:
    with app.app_context():
        rows = db.session.scalars(
            select(AuthSession).where(
                AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
            )
        ).all()
        return len(rows)


def test_a_role_change_ends_the_users_sessions_and_reactivation_revives_none(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin, admin2 = as_user("admin"), as_user("admin2")
    ppr_id = demo["users"]["ppr"]
    tablet, phone = signed_in(app, "ppr"), signed_in(app, "ppr")
    stolen = tablet.raw.get_cookie("trivsel_session")
    assert stolen is not None
    assert tablet.get("/api/auth/me").status_code == 200
    change(app, admin, admin2, ppr_id, {"role": "family_unit"})
    for device in (tablet, phone):
        assert device.get("/api/auth/me").status_code == 401
        assert device.get("/api/sync/pull", headers={"Sync-Protocol": "1"}).status_code == 401
    assert live_sessions(app, ppr_id) == 0  # revoked rows, not only a check of the role
    # The role set back, deactivated and reactivated: the old sessions stay dead.
    change(app, admin, admin2, ppr_id, {"role": "psychologist"})
    assert admin.delete(f"/api/users/{ppr_id}").status_code == 204
    change(app, admin, admin2, ppr_id, {"active": True})
    thief = app.test_client()
    thief.set_cookie("trivsel_session", stolen.value)
    for raw in (tablet.raw, phone.raw, thief):
        assert raw.get("/api/auth/me").status_code == 401
    # Signing in again is the way back.
    assert signed_in(app, "ppr").get("/api/auth/me").status_code == 200


def test_deactivation_ends_sessions_at_once_and_reactivation_does_not_revive_them(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin, admin2 = as_user("admin"), as_user("admin2")
    user_id = demo["users"]["paedagog"]
    device = signed_in(app, "paedagog")
    assert admin.delete(f"/api/users/{user_id}").status_code == 204
    assert device.get("/api/auth/me").status_code == 401
    assert live_sessions(app, user_id) == 0
    change(app, admin, admin2, user_id, {"active": True})
    assert device.get("/api/auth/me").status_code == 401
    # The same through PATCH active=false.
    again = signed_in(app, "paedagog")
    assert admin.patch(f"/api/users/{user_id}", {"active": False}).status_code == 200
    assert again.get("/api/auth/me").status_code == 401
    change(app, admin, admin2, user_id, {"active": True})
    assert again.get("/api/auth/me").status_code == 401


def test_an_institution_or_password_change_ends_sessions_a_name_change_does_not(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin, admin2 = as_user("admin"), as_user("admin2")
    user_id = demo["users"]["paedagog"]
    device = signed_in(app, "paedagog")
    assert admin.patch(f"/api/users/{user_id}", {"name": "Pia Pædagog"}).status_code == 200
    assert device.get("/api/auth/me").status_code == 200  # nothing decisive changed
    other = demo["institutions"]["Skovbørnehaven"]
    change(app, admin, admin2, user_id, {"institution_id": other})
    assert device.get("/api/auth/me").status_code == 401
    device = signed_in(app, "paedagog")
    new_password = "a-new-password-for-pia"
    assert admin.post(f"/api/users/{user_id}/password-link").status_code == 204
    choose_password(app, "paedagog@example.org", new_password)
    assert device.get("/api/auth/me").status_code == 401
    fresh = ApiClient(app.test_client())
    fresh.login("paedagog@example.org", new_password)
    assert fresh.get("/api/auth/me").status_code == 200


def test_sessions_end_however_the_account_is_changed(app: Flask, demo: dict[str, Any]) -> None:
    """The rule sits on the model, not in a route: a script or shell that changes a role
    ends the sessions too."""
    device = signed_in(app, "familie")
    with app.app_context():
        user = db.session.get(User, demo["users"]["familie"])
        assert user is not None
        user.role = "educator"
        user.institution_id = demo["institutions"]["Solsikken"]
        db.session.commit()
    assert device.get("/api/auth/me").status_code == 401


def test_nobody_changes_their_own_role_or_institution_or_deactivates_themselves(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin = as_user("admin")
    me = f"/api/users/{demo['users']['admin']}"
    school = demo["institutions"]["Solsikken"]
    attempts = [
        ({"role": "family_unit"}, "role"),
        ({"role": "educator", "institution_id": school}, "role"),
        ({"institution_id": school}, "institution_id"),
        ({"active": False}, "active"),
    ]
    for body, field in attempts:
        resp = admin.patch(me, body)
        assert resp.status_code == 403, body
        error = resp.get_json()["error"]
        assert error["code"] == "own_account" and field in error["fields"], error
    resp = admin.delete(me)
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "own_account"
    after = admin.get(me).get_json()
    assert (after["role"], after["institution_id"], after["active"]) == ("admin", None, True)
    # Still an admin who reaches no child's data.
    assert admin.get(f"/api/children/{demo['children']['Emma']}").status_code == 404
    assert admin.get(f"/api/courses/{demo['course']}").status_code == 404
    # Sending one's own unchanged role along with a name is no change of role.
    assert admin.patch(me, {"role": "admin", "name": "Ada Admin"}).status_code == 200


def test_an_admin_who_sets_their_own_password_stays_signed_in_here_only(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    here = as_user("admin")
    elsewhere = signed_in(app, "admin")
    resp = here.post(
        "/api/auth/password", {"current_password": DEMO_PASSWORD, "password": "another-password-1"}
    )
    assert resp.status_code == 204, resp.get_json()
    assert here.get("/api/auth/me").status_code == 200
    assert elsewhere.get("/api/auth/me").status_code == 401


def test_another_admin_may_change_an_admins_role(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """A change of an admin's own role needs two others: one asks, one approves (neither is
    the admin changed). The third is made by the operator on the server."""
    admin, other = as_user("admin"), as_user("admin2")
    done = app.test_cli_runner().invoke(
        args=["users", "create-admin", "admin3@example.org", "Tredje Admin"]
    )
    assert done.exit_code == 0, done.output
    choose_password(app, "admin3@example.org", "third-admin-password")
    third = ApiClient(app.test_client())
    third.login("admin3@example.org", "third-admin-password")
    change(app, other, third, demo["users"]["admin"], {"role": "psychologist"})
    assert admin.get("/api/auth/me").status_code == 401
