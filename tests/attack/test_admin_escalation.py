"""Issue 10, item 3: admins manage users and institutions and never reach a child's data.

Nobody changes their own role or institution; a change of someone's role, institution or
password, and a deactivation, end that user's sessions at once (and a reactivation does not
bring them back); the outbox shows the admin delivery state, not usable links or content.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from server.demo import DEMO_INSTITUTIONS
from tests.attack.doors import Door
from tests.attack.served import error_shape_problems
from tests.harness import ApiClient
from tests.server.accounts import change as approved_change
from tests.server.accounts import choose_password
from tests.server.reporting import LINK
from tests.server.world import created


def _refused(resp: Any) -> None:
    assert 400 <= resp.status_code < 500, f"accepted: {resp.status_code} {resp.get_json()}"
    assert not error_shape_problems(resp.status_code, resp.mimetype, resp.get_json())


@pytest.mark.parametrize(
    "change",
    [
        {"role": "family_unit"},
        {"role": "educator"},
        {"role": "psychologist"},
    ],
)
def test_the_admin_cannot_change_their_own_role(
    as_user: Any, demo: dict[str, Any], change: dict[str, str]
) -> None:
    admin = as_user("admin")
    me = demo["users"]["admin"]
    body = {**change, "institution_id": demo["institutions"]["Solsikken"]}
    _refused(admin.patch(f"/api/users/{me}", body))
    assert admin.get("/api/auth/me").get_json()["user"]["role"] == "admin"
    # and, whatever the answer said, no child's data is now within reach
    assert admin.get(f"/api/courses/{demo['course']}").status_code in (403, 404)
    listed = admin.get("/api/courses")
    assert listed.status_code == 403 or listed.get_json() == []


def test_the_admin_cannot_change_their_own_institution(as_user: Any, demo: dict[str, Any]) -> None:
    admin = as_user("admin")
    _refused(
        admin.patch(
            f"/api/users/{demo['users']['admin']}",
            {"institution_id": demo["institutions"]["Solsikken"]},
        )
    )
    assert admin.get("/api/auth/me").get_json()["user"]["institution_id"] is None


def test_nobody_changes_their_own_role_even_with_a_second_admin(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """The rule is about oneself, not about being the last admin (the demo has two)."""
    admin = as_user("admin")
    assert len([u for u in admin.get("/api/users").get_json() if u["role"] == "admin"]) == 2
    _refused(
        admin.patch(
            f"/api/users/{demo['users']['admin']}",
            {"role": "educator", "institution_id": demo["institutions"]["Solsikken"]},
        )
    )


@pytest.mark.parametrize("change", ["role", "institution", "deactivation"])
def test_a_change_by_the_admin_ends_that_users_sessions(
    app: Flask, as_user: Any, demo: dict[str, Any], change: str, way_in: Door
) -> None:
    _a_change_ends_the_sessions(app, as_user, demo, change, way_in)


# Passwords only: with the municipality's login there is no password here to change.
@pytest.mark.passwords_only
def test_a_password_change_by_the_admin_ends_that_users_sessions(
    app: Flask, as_user: Any, demo: dict[str, Any], way_in: Door
) -> None:
    _a_change_ends_the_sessions(app, as_user, demo, "password", way_in)


def _a_change_ends_the_sessions(
    app: Flask, as_user: Any, demo: dict[str, Any], change: str, way_in: Door
) -> None:
    paedagog = as_user("paedagog")
    assert paedagog.get(f"/api/courses/{demo['course']}").status_code == 200
    admin = as_user("admin")
    user_id = demo["users"]["paedagog"]
    body = {
        "role": {"role": "family_unit", "institution_id": None},
        "institution": {"institution_id": demo["institutions"]["Skovbørnehaven"]},
    }.get(change)
    if change == "password":  # the person chooses it through the link an admin sends
        assert admin.post(f"/api/users/{user_id}/password-link").status_code == 204
        choose_password(app, "paedagog@example.org", "a-brand-new-password")
    elif body is None:
        assert admin.delete(f"/api/users/{user_id}").status_code == 204
    elif way_in.provider:  # changed at the municipality's login: the next sign-in takes it
        role, institution = {
            "role": ("family_unit", None),
            "institution": ("educator", DEMO_INSTITUTIONS["Skovbørnehaven"]),
        }[change]
        way_in.enrol("paedagog@example.org", role, institution)
        as_user("paedagog")
    else:  # takes effect when a second admin approves it
        approved_change(app, admin, as_user("admin2"), user_id, body)
    after = paedagog.get("/api/auth/me")
    assert after.status_code == 401, f"the session outlived the {change}: {after.status_code}"
    assert paedagog.get(f"/api/courses/{demo['course']}").status_code == 401


def test_reactivation_does_not_revive_old_sessions(as_user: Any, demo: dict[str, Any]) -> None:
    paedagog = as_user("paedagog")
    admin = as_user("admin")
    user_url = f"/api/users/{demo['users']['paedagog']}"
    assert admin.delete(user_url).status_code == 204
    approved_change(
        admin.raw.application, admin, as_user("admin2"), demo["users"]["paedagog"], {"active": True}
    )
    assert paedagog.get("/api/auth/me").status_code == 401, "the old session came back"


def test_the_outbox_shows_the_admin_no_usable_link_and_no_content(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    meeting = demo["meeting"]
    created(
        familie.post(
            "/api/notes",
            {"meeting_id": meeting, "column": "worries", "text": "Emma græder hver morgen"},
        )
    )
    starts = familie.get(f"/api/meetings/{meeting}").get_json()["starts_at"]
    resp = familie.patch(
        f"/api/meetings/{meeting}",
        {
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": (datetime.fromisoformat(starts) + timedelta(days=28)).isoformat(),
        },
    )
    assert resp.status_code == 200, resp.get_json()
    created(familie.post("/api/reports", {"meeting_id": meeting}))
    outbox = as_user("admin").get("/api/admin/outbox")
    assert outbox.status_code == 200, outbox.get_json()
    text = outbox.get_data(as_text=True)
    assert outbox.get_json(), "the publication made no message: nothing was tested"
    assert not LINK.search(text) and "/p/invitation/" not in text, (
        "the admin's outbox hands out a parent's link"
    )
    for secret in ("Emma", "Jensen", "græder"):
        assert secret not in text, f"the admin's outbox shows the child's data ({secret!r})"


def test_an_admin_is_no_reader_of_children_anywhere(as_user: Any, demo: dict[str, Any]) -> None:
    admin: ApiClient = as_user("admin")
    for inst in demo["institutions"].values():
        resp = admin.get(f"/api/institutions/{inst}/children")
        assert resp.status_code in (403, 404) or resp.get_json() == [], (
            f"the admin lists children: {resp.get_json()}"
        )
