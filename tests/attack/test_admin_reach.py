"""Issue 19, finding 1: no admin reaches a child, with any number of accounts it makes.

The attacker reached Emma's notes and photo bytes as an admin in three ways: (a) it created
an educator at her daycare with a password it chose and signed in as it; (b) it created a
second admin and used it to change its own role; (c) it set the course leader's password.
Each is reproduced here as the attacker did it, and refused; a property test then lets one
admin (and every account it makes, at e-mail addresses it reads) try any sequence of
creates, changes, approvals, password links and sign-ins, and checks after every step that
none of its sessions reads a course's notes or photo bytes. Account changes are recorded,
and shown to admins and to the person changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from server.demo import load_demo
from server.extensions import db
from server.models import OutboundMessage
from tests.attack.served import error_shape_problems
from tests.budget import budget
from tests.harness import ApiClient, demo_ids, empty_all_tables
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.accounts import LINK_SECRET, choose_password, link_secrets
from tests.server.world import created, uploaded_photo

# Passwords only: these are the accounts an admin creates and the passwords they set, which
# the municipality's login takes away (PASSWORD_LOGIN=0: no account is made or changed here).
PASSWORDS_ONLY = True

EVIL = "evil.example"  # every address at this domain is the attacker's to read
CHOSEN = "attacker-chose-this-1"


def _refused(resp: Any) -> None:
    assert 400 <= resp.status_code < 500, f"accepted: {resp.status_code} {resp.get_json()}"
    assert not error_shape_problems(resp.status_code, resp.mimetype, resp.get_json())


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """No sign-in throttling here: a 429 must never hide a password that works."""
    return {
        **app_config,
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "LOGIN_FAILURE_LIMIT": "100000 per hour",
        "LOGIN_FREE_FAILURES": 100000,
    }


def _login(app: Flask, email: str, password: str) -> ApiClient | None:
    client = ApiClient(app.test_client())
    resp = client.post("/api/auth/login", {"email": email, "password": password})
    assert resp.status_code in (200, 401), resp.get_json()  # never throttled: see app_config
    if resp.status_code != 200:
        return None
    client.csrf_token = resp.get_json()["csrf_token"]
    return client


def _child_data(familie: ApiClient, meeting: str) -> str:
    """A note and a photo on Emma's meeting; returns the photo's digest."""
    created(
        familie.post(
            "/api/notes",
            {"meeting_id": meeting, "column": "worries", "text": "Emma græder hver morgen"},
        )
    )
    photo = uploaded_photo(familie, seed=7)
    created(familie.post("/api/photos", {"meeting_id": meeting, **photo}))
    return str(photo["content_hash"])


def _reads_a_child(client: ApiClient, meeting: str, digest: str) -> list[str]:
    """What of Emma's meeting this session reads (empty: nothing)."""
    got = []
    notes = client.get(f"/api/meetings/{meeting}/notes")
    if notes.status_code == 200 and notes.get_json():
        got.append("notes")
    if client.get(f"/api/blobs/{digest}").status_code == 200:
        got.append("photo bytes")
    return got


def test_a_an_educator_the_admin_creates_never_signs_in(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin = as_user("admin")
    digest = _child_data(as_user("familie"), demo["meeting"])
    account = {
        "email": f"mole@{EVIL}",
        "name": "Muldvarp",
        "role": "educator",
        "institution_id": demo["institutions"]["Solsikken"],
    }
    # As the attacker did it: with a password of its choosing. Refused, with a field error.
    resp = admin.post("/api/users", {**account, "password": CHOSEN})
    _refused(resp)
    assert "password" in resp.get_json()["error"]["fields"], resp.get_json()
    assert _login(app, account["email"], CHOSEN) is None
    # Without one, the account waits, inactive and without a password, for a second admin.
    user = created(admin.post("/api/users", account))
    assert (user["active"], user["pending"], user["has_password"]) == (False, True, False)
    _refused(admin.post(f"/api/users/changes/{user['pending_change']['id']}/approve"))
    _refused(admin.patch(f"/api/users/{user['id']}", {"active": True}))
    assert link_secrets(app, account["email"]) == [], "a link went out before any approval"
    for password in (CHOSEN, "", "not-a-real-password"):  # the dummy hash's own password
        assert _login(app, account["email"], password or "x") is None
    assert _reads_a_child(admin, demo["meeting"], digest) == []


def test_b_a_second_admin_the_admin_creates_changes_nobodys_role(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin = as_user("admin")
    digest = _child_data(as_user("familie"), demo["meeting"])
    # As the attacker did it: a second admin with a known password, then the role change.
    _refused(
        admin.post(
            "/api/users",
            {"email": f"twin@{EVIL}", "name": "Tvilling", "role": "admin", "password": CHOSEN},
        )
    )
    assert _login(app, f"twin@{EVIL}", CHOSEN) is None
    twin = created(
        admin.post("/api/users", {"email": f"twin@{EVIL}", "name": "Tvilling", "role": "admin"})
    )
    _refused(admin.post(f"/api/users/changes/{twin['pending_change']['id']}/approve"))
    # Suppose the other admin is fooled and approves the twin: it gets its welcome link.
    assert (
        as_user("admin2")
        .post(f"/api/users/changes/{twin['pending_change']['id']}/approve")
        .status_code
        == 200
    )
    choose_password(app, f"twin@{EVIL}", CHOSEN)
    signed_twin = _login(app, f"twin@{EVIL}", CHOSEN)
    assert signed_twin is not None
    # The twin asks to make the admin an educator at Emma's daycare: the admin, whose
    # account it is and who made the twin, may not approve; nor may the twin approve the
    # admin's own request; nor a third account down the same line.
    solsikken = demo["institutions"]["Solsikken"]
    me = demo["users"]["admin"]
    _refused(admin.patch(f"/api/users/{me}", {"role": "educator", "institution_id": solsikken}))
    asked = signed_twin.patch(f"/api/users/{me}", {"role": "educator", "institution_id": solsikken})
    assert asked.status_code == 200, asked.get_json()
    change = asked.get_json()["pending_change"]
    assert change is not None and not change["may_approve"]
    _refused(admin.post(f"/api/users/changes/{change['id']}/approve"))
    assert admin.post(f"/api/users/changes/{change['id']}/reject").status_code == 200
    theirs = admin.patch(
        f"/api/users/{demo['users']['ppr']}", {"role": "educator", "institution_id": solsikken}
    ).get_json()["pending_change"]
    _refused(signed_twin.post(f"/api/users/changes/{theirs['id']}/approve"))
    mole = created(
        signed_twin.post(
            "/api/users",
            {
                "email": f"mole@{EVIL}",
                "name": "Muldvarp",
                "role": "educator",
                "institution_id": solsikken,
            },
        )
    )
    _refused(admin.post(f"/api/users/changes/{mole['pending_change']['id']}/approve"))
    _refused(signed_twin.post(f"/api/users/changes/{mole['pending_change']['id']}/approve"))
    for client in (admin, signed_twin):
        assert _reads_a_child(client, demo["meeting"], digest) == []
        assert client.get("/api/auth/me").get_json()["user"]["role"] == "admin"


def test_c_the_admin_never_sets_or_learns_the_leaders_password(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin = as_user("admin")
    digest = _child_data(as_user("familie"), demo["meeting"])
    leader = f"/api/users/{demo['users']['familie']}"
    # As the attacker did it: set her password, sign in as her.
    resp = admin.patch(leader, {"password": CHOSEN})
    _refused(resp)
    assert "password" in resp.get_json()["error"]["fields"], resp.get_json()
    assert _login(app, "familie@example.org", CHOSEN) is None
    # Point her e-mail at the attacker, then send her a reset link: the e-mail change waits
    # for a second admin, so the link goes to her own address, and the admin sees no link.
    moved = admin.patch(leader, {"email": f"inbox@{EVIL}"})
    assert moved.status_code == 200 and moved.get_json()["email"] == "familie@example.org"
    _refused(admin.post(f"/api/users/changes/{moved.get_json()['pending_change']['id']}/approve"))
    sent = admin.post(f"{leader}/password-link")
    assert sent.status_code == 204 and not sent.get_data()
    for url in (
        leader,
        f"{leader}/history",
        "/api/users",
        "/api/users/changes",
        "/api/admin/outbox",
    ):
        assert not LINK_SECRET.search(admin.get(url).get_data(as_text=True)), url
    assert link_secrets(app, f"inbox@{EVIL}") == []
    assert len(link_secrets(app, "familie@example.org")) == 1
    assert _login(app, "familie@example.org", DEMO_PASSWORD) is not None  # hers still works
    assert _reads_a_child(admin, demo["meeting"], digest) == []


def test_6a_an_unknown_institution_is_a_field_error_not_a_500(
    as_user: Any, demo: dict[str, Any]
) -> None:
    admin = as_user("admin")
    nowhere = "00000000-0000-4000-8000-000000000000"
    attempts = [
        admin.patch(f"/api/users/{demo['users']['paedagog']}", {"institution_id": nowhere}),
        admin.patch(
            f"/api/users/{demo['users']['ppr']}", {"role": "educator", "institution_id": nowhere}
        ),
        admin.post(
            "/api/users",
            {
                "email": "ny@example.org",
                "name": "Ny",
                "role": "educator",
                "institution_id": nowhere,
            },
        ),
    ]
    for resp in attempts:
        assert resp.status_code == 422, (resp.status_code, resp.get_json())
        assert "institution_id" in resp.get_json()["error"]["fields"], resp.get_json()
    after = admin.get(f"/api/users/{demo['users']['paedagog']}").get_json()
    assert after["institution_id"] == demo["institutions"]["Solsikken"]  # nothing harmed


def test_every_account_change_is_recorded_for_admins_and_the_person(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    admin, admin2 = as_user("admin"), as_user("admin2")
    user = created(
        admin.post(
            "/api/users", {"email": "nina@example.org", "name": "Nina", "role": "psychologist"}
        )
    )
    admin2.post(f"/api/users/changes/{user['pending_change']['id']}/approve")
    choose_password(app, "nina@example.org", "ninas-own-password")
    nina = _login(app, "nina@example.org", "ninas-own-password")
    assert nina is not None
    asked = admin.patch(f"/api/users/{user['id']}", {"role": "family_unit"}).get_json()
    admin2.post(f"/api/users/changes/{asked['pending_change']['id']}/reject")
    admin.patch(f"/api/users/{user['id']}", {"name": "Nina N."})
    admin.post(f"/api/users/{user['id']}/password-link")
    # The person sees their own account's history: who did what, when, who approved.
    own = nina.get("/api/auth/me/history")
    assert own.status_code == 200, own.get_json()
    assert [row["action"] for row in reversed(own.get_json())] == [
        "create_requested",
        "approved",
        "link_sent",
        "password_set",
        "change_requested",
        "rejected",
        "renamed",
        "link_sent",
    ]
    _refused(nina.get(f"/api/users/{demo['users']['ppr']}/history"))  # nobody else's
    admin.delete(f"/api/users/{user['id']}")
    history = admin.get(f"/api/users/{user['id']}/history").get_json()
    actions = [row["action"] for row in reversed(history)]
    assert actions == [
        "create_requested",
        "approved",
        "link_sent",
        "password_set",
        "change_requested",
        "rejected",
        "renamed",
        "link_sent",
        "deactivated",
    ], actions
    approved = next(row for row in history if row["action"] == "approved")
    assert approved["actor_name"].startswith("Bo Admin") and "Anna Admin" in approved["detail"]
    assert all(row["at"] and row["actor_name"] for row in history)
    assert nina.get("/api/auth/me/history").status_code == 401  # deactivated: signed out
    # A change an admin approved shows in the changed person's own history too.
    change_id = admin.patch(
        f"/api/users/{demo['users']['ppr']}", {"role": "family_unit"}
    ).get_json()["pending_change"]["id"]
    admin2.post(f"/api/users/changes/{change_id}/approve")
    ppr = _login(app, "ppr@example.org", DEMO_PASSWORD)
    assert ppr is not None
    seen = ppr.get("/api/auth/me/history").get_json()
    assert [row["action"] for row in seen] == ["approved", "change_requested"], seen
    assert seen[0]["actor_name"].startswith("Bo Admin")


# --- the property: one admin and everything it makes ------------------------------------

ROLES = ("admin", "educator", "family_unit", "psychologist")
STEP = st.one_of(
    st.tuples(
        st.just("create"), st.integers(0, 9), st.sampled_from(ROLES), st.booleans(), st.booleans()
    ),
    st.tuples(
        st.just("patch"),
        st.integers(0, 9),
        st.integers(0, 9),
        st.sampled_from(("role", "institution", "email", "active", "password")),
    ),
    st.tuples(st.just("approve"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("link"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("deactivate"), st.integers(0, 9), st.integers(0, 9)),
)


class Attacker:
    """One admin's sessions, and every account it can sign in as."""

    def __init__(self, app: Flask, ids: dict[str, Any]) -> None:
        self.app, self.ids = app, ids
        admin = _login(app, "admin@example.org", DEMO_PASSWORD)
        assert admin is not None
        self.sessions = [admin]
        self.signed_in = {"admin@example.org"}
        self.made = 0

    def _users(self) -> list[dict[str, Any]]:
        users: list[dict[str, Any]] = self.sessions[0].get("/api/users").get_json()
        return users

    def act(self, step: tuple[Any, ...]) -> None:
        who = self.sessions[step[1] % len(self.sessions)]
        users = self._users()
        inst = self.ids["institutions"]["Solsikken"]
        if step[0] == "create":
            self.made += 1
            body = {
                "email": f"a{self.made}@{EVIL}",
                "name": f"A{self.made}",
                "role": step[2],
                "institution_id": inst if step[3] or step[2] == "educator" else None,
            }
            who.post("/api/users", {**body, "password": CHOSEN} if step[4] else body)
        elif step[0] == "patch":
            target = users[step[2] % len(users)]
            body = {
                "role": {"role": "educator", "institution_id": inst},
                "institution": {"institution_id": inst},
                "email": {"email": f"moved{step[2]}@{EVIL}"},
                "active": {"active": True},
                "password": {"password": CHOSEN},
            }[step[3]]
            who.patch(f"/api/users/{target['id']}", body)
        elif step[0] == "approve":
            pending = who.get("/api/users/changes").get_json()
            if isinstance(pending, list) and pending:
                who.post(f"/api/users/changes/{pending[step[2] % len(pending)]['id']}/approve")
        elif step[0] == "link":
            who.post(f"/api/users/{users[step[2] % len(users)]['id']}/password-link")
        else:
            target = users[step[2] % len(users)]
            if target["email"] != "admin@example.org":
                who.delete(f"/api/users/{target['id']}")
        self._harvest(users)

    def _harvest(self, users: list[dict[str, Any]]) -> None:
        """Use every link sent to an address the attacker reads; try every known password."""
        with self.app.app_context():
            rows = db.session.scalars(
                select(OutboundMessage).where(OutboundMessage.to_address.like(f"%@{EVIL}"))
            ).all()
            found = [m.group(1) for row in rows for m in LINK_SECRET.finditer(row.body)]
        redeemed = False
        for secret in found:
            resp = ApiClient(self.app.test_client()).post(
                "/api/auth/password-link", {"token": secret, "password": CHOSEN}
            )
            redeemed = redeemed or resp.status_code == 204
        # Every account the attacker reads mail for, and after a link worked, every account.
        for user in self._users() + users:
            email = user["email"]
            if email in self.signed_in or not (redeemed or email.endswith(f"@{EVIL}")):
                continue
            client = _login(self.app, email, CHOSEN)
            if client is not None:
                self.sessions.append(client)
                self.signed_in.add(email)


# Each example loads the demo anew: 5 in `make check`, 40 in `make test` (tests/budget.py).
@settings(
    max_examples=budget(40, quick=5),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_one_admin_with_any_accounts_it_makes_never_reads_a_child(
    app: Flask, steps: list[tuple[Any, ...]]
) -> None:
    with app.app_context():
        empty_all_tables()
        load_demo(DEMO_PASSWORD)
        ids = demo_ids()
    familie = _login(app, "familie@example.org", DEMO_PASSWORD)
    assert familie is not None
    digest = _child_data(familie, ids["meeting"])
    attacker = Attacker(app, ids)
    for step in steps:
        attacker.act(step)
        for session in attacker.sessions:
            got = _reads_a_child(session, ids["meeting"], digest)
            me = session.get("/api/auth/me").get_json()
            assert got == [], f"after {step} the attacker's session {me} reads {got}"


def test_a_turned_down_account_does_not_return_as_a_reactivation(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """Found in review: the attacker's account is turned down, then renamed after a real
    colleague and asked to be "reactivated"; the second admin saw a name and "active" only,
    approved, and the welcome link went to the attacker's address."""
    admin, admin2 = as_user("admin"), as_user("admin2")
    digest = _child_data(as_user("familie"), demo["meeting"])
    user = created(
        admin.post(
            "/api/users",
            {
                "email": f"mallory@{EVIL}",
                "name": "Mallory",
                "role": "educator",
                "institution_id": demo["institutions"]["Solsikken"],
            },
        )
    )
    assert (
        admin2.post(f"/api/users/changes/{user['pending_change']['id']}/reject").status_code == 200
    )
    asked = admin.patch(f"/api/users/{user['id']}", {"name": "Peter Pædagog", "active": True})
    assert asked.status_code == 200, asked.get_json()
    # Asked for again, it is a request for the whole account: its approver sees the address
    # the welcome link would go to, not a bare "active" under a colleague's name.
    pending = [
        c
        for c in admin2.get("/api/users/changes").get_json()
        if c["user_id"] == user["id"] and c["status"] == "pending"
    ]
    assert [(c["kind"], c["values"]["email"]) for c in pending] == [
        ("create", f"mallory@{EVIL}")
    ], pending
    assert link_secrets(app, f"mallory@{EVIL}") == []
    assert _reads_a_child(admin, demo["meeting"], digest) == []
    # Nor does the old kind of request ("active" alone) reach an approver by any other way.
    with app.app_context():
        from server.models import User
        from server.users import changes

        row = db.session.get(User, user["id"])
        assert row is not None
        with pytest.raises(Exception, match="never approved"):
            changes.check(row, {"active": True})
        db.session.remove()
