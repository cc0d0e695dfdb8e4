"""The two-admin rule's lineage (server/users/approval.py): an approver shares no account
with the requester's lineage nor with the changed account's, through chains of creation
and of approved changes."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.harness import ApiClient
from tests.server.accounts import approve, choose_password, new_staff


def _admin(app: Flask, requester: ApiClient, approver: ApiClient, name: str) -> ApiClient:
    new_staff(
        app,
        requester,
        approver,
        {"email": f"{name}@example.org", "name": name, "role": "admin"},
        f"{name}-password-1",
    )
    client = ApiClient(app.test_client())
    client.login(f"{name}@example.org", f"{name}-password-1")
    return client


def _ask(requester: ApiClient, user_id: str, body: dict[str, Any]) -> str:
    resp = requester.patch(f"/api/users/{user_id}", body)
    assert resp.status_code == 200, resp.get_json()
    change_id: str = resp.get_json()["pending_change"]["id"]
    return change_id


def _pending(client: ApiClient, user_id: str) -> str:
    change_id: str = client.get(f"/api/users/{user_id}").get_json()["pending_change"]["id"]
    return change_id


def _may(approver: ApiClient, change_id: str) -> bool:
    resp = approver.post(f"/api/users/changes/{change_id}/approve")
    assert resp.status_code in (200, 403), resp.get_json()
    if resp.status_code == 403:
        assert resp.get_json()["error"]["code"] == "approval_refused"
    return resp.status_code == 200


def test_a_chain_of_creation_approves_nothing_of_its_own(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """A creates B, B creates C (each approved by the independent admin2): neither B nor C
    approves A's requests, nor A and C B's, nor A and B C's; admin2 approves them all."""
    a, admin2 = as_user("admin"), as_user("admin2")
    b = _admin(app, a, admin2, "bertil")
    c = _admin(app, b, admin2, "carla")
    ppr, paedagog2 = demo["users"]["ppr"], demo["users"]["paedagog2"]
    for n, (requester, others) in enumerate(((a, (b, c)), (b, (a, c)), (c, (a, b)))):
        change_id = _ask(requester, ppr, {"role": ("family_unit", "psychologist")[n % 2]})
        listed = {ch["id"]: ch for ch in others[0].get("/api/users/changes").get_json()}
        assert listed[change_id]["may_approve"] is False and listed[change_id]["refusal"]
        assert not any(_may(other, change_id) for other in (requester, *others))
        assert _may(admin2, change_id)  # an admin outside the line may
        # The outsider's requests, on an account the line never changed (ppr's changes,
        # asked for by A, B and C, put them in ppr's lineage): A approves them; B and C
        # do not, as admin2 approved their accounts.
        back = _ask(admin2, paedagog2, {"email": f"pia{n}@example.org"})
        assert _may(requester, back) is (requester is a)
        if requester is not a:
            assert _may(a, back)
        assert not _may(requester, _ask(admin2, ppr, {"email": f"poul{n}@example.org"}))
        admin2.post("/api/users/changes/" + _pending(admin2, ppr) + "/reject")
    # An account the independent admin makes (A approves it) approves B's requests (it is
    # in neither B's line nor the account's) but not admin2's (admin2 created it).
    dora = _admin(app, admin2, a, "dora")
    change_id = _ask(b, ppr, {"email": "poul-final@example.org"})
    assert _may(dora, change_id)
    assert not _may(dora, _ask(admin2, paedagog2, {"email": "pia-final@example.org"}))


def test_an_approved_change_of_access_joins_the_requesters_line(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """The admin asks that the psychologist become an admin; once approved, the new admin
    never approves the admin's requests (it owes its access to them)."""
    admin, admin2 = as_user("admin"), as_user("admin2")
    approve(admin2, _ask(admin, demo["users"]["ppr"], {"role": "admin"}))
    promoted = ApiClient(app.test_client())
    promoted.login("ppr@example.org", "demo-password-for-tests")
    assert promoted.get("/api/auth/me").get_json()["user"]["role"] == "admin"
    change_id = _ask(
        admin, demo["users"]["paedagog2"], {"role": "family_unit", "institution_id": None}
    )
    assert not _may(promoted, change_id)
    # Nobody approves a change of their own account, whoever asked for it.
    own = _ask(admin, demo["users"]["admin2"], {"email": "bo@example.org"})
    assert not _may(admin2, own)


def test_a_pending_or_deactivated_admin_approves_nothing(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin, admin2 = as_user("admin"), as_user("admin2")
    change_id = _ask(admin, demo["users"]["ppr"], {"role": "family_unit"})
    assert admin.delete(f"/api/users/{demo['users']['admin2']}").status_code == 204
    assert admin2.post(f"/api/users/changes/{change_id}/approve").status_code == 401
    # A decided change is not decided twice.
    assert admin.post(f"/api/users/changes/{change_id}/reject").status_code == 200
    again = admin.post(f"/api/users/changes/{change_id}/reject")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "change_decided"


def test_one_change_at_a_time_per_account(as_user: Any, demo: dict[str, Any]) -> None:
    admin = as_user("admin")
    _ask(admin, demo["users"]["ppr"], {"role": "family_unit"})
    resp = admin.patch(f"/api/users/{demo['users']['ppr']}", {"email": "p@example.org"})
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "change_pending"
    # A name change and a deactivation take effect at once all the same.
    resp = admin.patch(f"/api/users/{demo['users']['ppr']}", {"name": "Poul P."})
    assert resp.status_code == 200 and resp.get_json()["name"] == "Poul P."


def test_the_welcome_link_follows_the_approval_of_a_reactivated_account_without_password(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """A refused request for an account leaves it inactive; a later reactivation, approved,
    sends the welcome link (the person has no password yet)."""
    admin, admin2 = as_user("admin"), as_user("admin2")
    user = admin.post(
        "/api/users", {"email": "ole@example.org", "name": "Ole", "role": "psychologist"}
    ).get_json()
    assert (
        admin2.post(f"/api/users/changes/{user['pending_change']['id']}/reject").status_code == 200
    )
    approve(admin2, _ask(admin, user["id"], {"active": True}))
    choose_password(app, "ole@example.org", "oles-own-password")
    ApiClient(app.test_client()).login("ole@example.org", "oles-own-password")
