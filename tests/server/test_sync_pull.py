"""Pull: scoped, paged, proportional, and never skipping a change (PROTOCOL.md 2, 8, 9, 10)."""

from __future__ import annotations

from typing import Any

from tests.harness import ApiClient

SYNC = {"Sync-Protocol": "1"}


def pull(client: ApiClient, cursor: str = "", limit: int = 500) -> Any:
    resp = client.post("/api/sync/pull", {"cursor": cursor, "limit": limit}, headers=SYNC)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def pull_all(client: ApiClient, cursor: str = "", limit: int = 500) -> tuple[list[Any], str]:
    changes: list[Any] = []
    while True:
        page = pull(client, cursor, limit)
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["more"]:
            return changes, cursor


def test_first_pull_brings_the_users_courses_and_nothing_else(
    as_user: Any, demo: dict[str, Any]
) -> None:
    changes, _ = pull_all(as_user("familie"))
    entities = {(c["entity"], c["id"]) for c in changes}
    assert ("course", demo["course"]) in entities
    assert ("child", demo["children"]["Emma"]) in entities
    assert ("meeting", demo["meeting"]) in entities
    assert sum(1 for c in changes if c["entity"] == "guardian") == 2
    assert sum(1 for c in changes if c["entity"] == "participant") == 4
    assert ("child", demo["children"]["Noah"]) not in entities  # no course for Noah
    assert pull_all(as_user("paedagog2"))[0] == []
    assert pull_all(as_user("admin"))[0] == []


def test_next_pull_brings_only_what_changed(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    _, cursor = pull_all(familie)
    assert pull(familie, cursor)["changes"] == []
    note = familie.post(
        "/api/notes",
        {"meeting_id": demo["meeting"], "column": "working", "text": "Emma leger med Ida"},
    ).get_json()
    familie.patch(f"/api/notes/{note['id']}", {"text": "Emma leger ofte med Ida"})
    page = pull(familie, cursor)
    assert [(c["entity"], c["id"]) for c in page["changes"]] == [("board_note", note["id"])]
    record = page["changes"][0]
    assert record["version"] == 2
    assert record["fields"]["text"] == "Emma leger ofte med Ida"
    assert record["scope"] == f"course:{demo['course']}"
    # another device of another user on the course sees the same change
    educator_changes, _ = pull_all(as_user("paedagog"))
    assert note["id"] in {c["id"] for c in educator_changes}
    familie.delete(f"/api/notes/{note['id']}")
    deleted = pull(familie, page["cursor"])["changes"]
    assert deleted[0]["id"] == note["id"]
    assert deleted[0]["deleted"] is True


def test_paging_sends_every_record_exactly_once(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    for i in range(7):
        familie.post(
            "/api/notes",
            {"meeting_id": demo["meeting"], "column": "worries", "text": f"Bekymring {i}"},
        )
    everything, _ = pull_all(familie)
    paged, _ = pull_all(familie, limit=3)
    assert sorted(c["id"] for c in paged) == sorted(c["id"] for c in everything)
    assert len({c["id"] for c in paged}) == len(paged)


def test_gaining_access_brings_the_whole_course_and_losing_it_purges(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie, ppr = as_user("familie"), as_user("ppr")
    changes, cursor = pull_all(ppr)
    assert changes == []
    familie.post(f"/api/courses/{demo['course']}/members", {"user_id": demo["users"]["ppr"]})
    changes, cursor = pull_all(ppr, cursor)
    assert ("course", demo["course"]) in {(c["entity"], c["id"]) for c in changes}
    assert ("meeting", demo["meeting"]) in {(c["entity"], c["id"]) for c in changes}
    familie.delete(f"/api/courses/{demo['course']}/members/{demo['users']['ppr']}")
    purge = pull(ppr, cursor)["changes"]
    assert {
        "entity": "scope",
        "id": f"course:{demo['course']}",
        "deleted": True,
        "reason": "access_ended",
    } in purge
    assert all(c["entity"] == "scope" for c in purge)  # nothing of the course itself


def test_a_forged_cursor_is_refused(as_user: Any, demo: dict[str, Any]) -> None:
    client = as_user("paedagog2")
    _, cursor = pull_all(client)
    payload, sig = cursor.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + sig
    for resp in (
        client.post("/api/sync/pull", {"cursor": forged}, headers=SYNC),
        client.get(f"/api/sync/pull?cursor={forged}", headers=SYNC),
    ):
        assert resp.status_code == 400
        assert resp.get_json()["error"]["code"] == "bad_cursor"


def test_the_query_form_of_earlier_app_versions_still_pulls_the_same(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    _, cursor = pull_all(familie)
    note = familie.post(
        "/api/notes",
        {"meeting_id": demo["meeting"], "column": "working", "text": "Emma hjælper de små"},
    ).get_json()
    resp = familie.get(f"/api/sync/pull?cursor={cursor}&limit=500", headers=SYNC)
    assert resp.status_code == 200
    assert [c["id"] for c in resp.get_json()["changes"]] == [note["id"]]
    assert resp.get_json() == pull(familie, cursor)


def test_old_clients_are_told_to_reload(as_user: Any, demo: dict[str, Any]) -> None:
    client = as_user("familie")
    for headers in ({}, {"Sync-Protocol": "0"}, {"Sync-Protocol": "x"}):
        for resp in (
            client.get("/api/sync/pull", headers=headers),
            client.post("/api/sync/pull", {}, headers=headers),
        ):
            assert resp.status_code == 426
            assert "Reload" in resp.get_json()["error"]["message"]


def test_page_size_is_bounded(as_user: Any, demo: dict[str, Any]) -> None:
    resp = as_user("familie").post("/api/sync/pull", {"limit": 5000}, headers=SYNC)
    assert resp.status_code == 413
    assert resp.get_json()["error"]["fields"]["limit"]


def test_pull_needs_a_signed_in_user(client: ApiClient) -> None:
    assert client.post("/api/sync/pull", {}, headers=SYNC).status_code == 401
    assert client.get("/api/sync/pull", headers=SYNC).status_code == 401
