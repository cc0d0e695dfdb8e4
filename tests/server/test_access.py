"""Per-record access: every role, every endpoint, a record of another institution.

Nothing about a record the caller may not read may leak: not its existence (404, the same
answer as for an id that does not exist), not its content, not its presence in a list.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from tests.harness import ApiClient
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.accounts import new_staff
from tests.server.world import PARENTS, build_course, created, uploaded_photo

OUTSIDERS_OF_OTHER_COURSE = ["admin", "familie", "paedagog", "ppr"]
OUTSIDERS_OF_DEMO_COURSE = ["admin", "paedagog2", "ppr"]


@pytest.fixture
def other(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, str]:
    """A second family-unit worker's course for a child at Skovbørnehaven."""
    new_staff(
        app,
        as_user("admin"),
        as_user("admin2"),
        {
            "email": "familie2@example.org",
            "name": "Frank Familie",
            "role": "family_unit",
        },
        DEMO_PASSWORD,
    )
    owner = ApiClient(app.test_client())
    me = owner.login("familie2@example.org", DEMO_PASSWORD).get_json()["user"]
    return build_course(owner, demo["institutions"]["Skovbørnehaven"], me["id"])


def _requests(ids: dict[str, str]) -> list[tuple[str, str, dict[str, Any] | None]]:
    reqs: list[tuple[str, str, dict[str, Any] | None]] = []
    for plural, record_id in ids.items():
        reqs.append(("get", f"/api/{plural}/{record_id}", None))
        reqs.append(("patch", f"/api/{plural}/{record_id}", {}))
        reqs.append(("delete", f"/api/{plural}/{record_id}", None))
        parent = PARENTS[plural]
        if parent:
            parent_plural, parent_key = parent
            reqs.append(("get", f"/api/{parent_plural}/{ids[parent_key]}/{plural}", None))
    reqs.append(("get", f"/api/courses/{ids['courses']}/members", None))
    reqs.append(("post", f"/api/courses/{ids['courses']}/members", {"user_id": ids["courses"]}))
    return reqs


def _assert_no_leak(client: ApiClient, ids: dict[str, str], who: str) -> None:
    secrets = ["Oskar", "Andersen", "Emma", *ids.values()]
    for method, url, body in _requests(ids):
        resp = (
            getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)
        )
        expected = (404, 403) if who == "admin" else (404,)
        assert resp.status_code in expected, (who, method, url, resp.status_code)
        text = json.dumps(resp.get_json())
        assert not any(s in text for s in secrets), (who, method, url, text)


@pytest.mark.parametrize("who", OUTSIDERS_OF_OTHER_COURSE)
def test_outsiders_learn_nothing_of_another_institutions_course(
    as_user: Any, other: dict[str, str], who: str
) -> None:
    client = as_user(who)
    _assert_no_leak(client, other, who)
    for url in ("/api/children", "/api/courses"):
        listed = client.get(url)
        if listed.status_code == 200:
            assert other["children"] not in listed.get_data(as_text=True)
            assert other["courses"] not in listed.get_data(as_text=True)


@pytest.mark.parametrize("who", OUTSIDERS_OF_DEMO_COURSE)
def test_outsiders_learn_nothing_of_the_demo_course(
    app: Flask, as_user: Any, demo: dict[str, Any], who: str
) -> None:
    familie = as_user("familie")
    ids = _demo_ids(familie, demo)
    client = as_user(who)
    for method, url, body in _requests(ids):
        resp = (
            getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)
        )
        expected = (404, 403) if who == "admin" else (404,)
        assert resp.status_code in expected, (who, method, url, resp.status_code)
    # and everything is still there for the people on the course
    assert familie.get(f"/api/courses/{ids['courses']}").status_code == 200
    assert familie.get(f"/api/meetings/{ids['meetings']}/notes").get_json() != []


def _demo_ids(familie: ApiClient, demo: dict[str, Any]) -> dict[str, str]:
    """One record of every kind on the demo course, made by its leader."""
    course = demo["course"]
    meeting = demo["meeting"]
    child = demo["children"]["Emma"]
    guardian = familie.get(f"/api/children/{child}/guardians").get_json()[0]["id"]
    ids = {"children": child, "guardians": guardian, "courses": course, "meetings": meeting}
    parts: dict[str, dict[str, Any]] = {
        "notes": {"column": "working", "text": "Emma Hansen leger godt"},
        "agreements": {"what": "Emma Hansen får en fast voksen", "owner": "institution"},
        "minutes": {"text": "Emma Hansen"},
        "houses": {"dream": "Emma Hansen rider", "shared_with_parents": True},
        "photos": uploaded_photo(familie, seed=9),
    }
    for plural, body in parts.items():
        ids[plural] = created(familie.post(f"/api/{plural}", {"meeting_id": meeting, **body}))["id"]
    ids["participants"] = familie.get(f"/api/meetings/{meeting}/participants").get_json()[0]["id"]
    ids["consents"] = created(
        familie.post(
            "/api/consents", {"course_id": course, "guardian_id": guardian, "status": "requested"}
        )
    )["id"]
    ids["tasks"] = created(
        familie.post(
            "/api/tasks",
            {"course_id": course, "title": "Ring til Emmas mor", "assignee_role": "family_unit"},
        )
    )["id"]
    return ids


def test_who_sees_the_demo_course(as_user: Any, demo: dict[str, Any]) -> None:
    url = f"/api/courses/{demo['course']}"
    assert as_user("familie").get(url).status_code == 200
    assert as_user("paedagog").get(url).status_code == 200  # child in own institution
    assert as_user("paedagog2").get(url).status_code == 404
    assert as_user("ppr").get(url).status_code == 404  # not added to the course
    assert as_user("admin").get(url).status_code == 404


def test_psychologist_sees_a_course_once_added_and_not_after_removal(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie, ppr = as_user("familie"), as_user("ppr")
    url = f"/api/courses/{demo['course']}"
    members = f"{url}/members"
    assert familie.post(members, {"user_id": demo["users"]["ppr"]}).status_code == 201
    assert ppr.get(url).status_code == 200
    assert demo["course"] in ppr.get("/api/courses").get_data(as_text=True)
    assert familie.delete(f"{members}/{demo['users']['ppr']}").status_code == 204
    assert ppr.get(url).status_code == 404


def test_family_unit_worker_added_to_a_course_sees_it(
    app: Flask, as_user: Any, other: dict[str, str]
) -> None:
    owner = ApiClient(app.test_client())
    owner.login("familie2@example.org", DEMO_PASSWORD)
    familie = as_user("familie")
    url = f"/api/courses/{other['courses']}"
    assert familie.get(url).status_code == 404
    familie_id = familie.get("/api/auth/me").get_json()["user"]["id"]
    assert owner.post(f"{url}/members", {"user_id": familie_id}).status_code == 201
    assert familie.get(url).status_code == 200
    assert familie.get(f"/api/meetings/{other['meetings']}/notes").status_code == 200


def test_only_admins_manage_users_and_institutions(as_user: Any, demo: dict[str, Any]) -> None:
    for who in ("familie", "paedagog", "ppr"):
        client = as_user(who)
        new_user = {"email": f"x-{who}@example.org", "name": "X", "role": "admin"}
        assert client.post("/api/users", new_user).status_code == 403
        assert client.get("/api/users").status_code == 403
        assert client.post("/api/institutions", {"name": "X", "kind": "school"}).status_code == 403
    admin = as_user("admin")
    school = {"name": "Byskolen", "kind": "school"}
    assert admin.post("/api/institutions", school).status_code == 201
    assert len(admin.get("/api/users").get_json()) == 6


def test_educator_cannot_move_a_course_to_a_child_elsewhere(
    as_user: Any, other: dict[str, str], demo: dict[str, Any]
) -> None:
    """A record cannot be re-parented into (or out of) what the user may see."""
    familie = as_user("familie")
    resp = familie.patch(f"/api/meetings/{demo['meeting']}", {"course_id": other["courses"]})
    assert resp.status_code in (404, 422)
    assert familie.get(f"/api/meetings/{demo['meeting']}").get_json()["course_id"] == demo["course"]


def test_nobody_signed_in_gets_401_everywhere(client: ApiClient, demo: dict[str, Any]) -> None:
    for url in (
        "/api/children",
        "/api/courses",
        f"/api/courses/{demo['course']}",
        f"/api/meetings/{demo['meeting']}/notes",
        "/api/users",
        "/api/institutions",
    ):
        assert client.get(url).status_code == 401, url
