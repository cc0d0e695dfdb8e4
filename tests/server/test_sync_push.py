"""Push: exactly once, field-level merge, conflicts kept, rejections per mutation
(PROTOCOL.md properties 1, 3, 4, 5, 6 and 10)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask

from tests.harness import Client
from tests.server.accounts import new_staff
from tests.server.syncclient import SYNC, Device


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def tablet(as_user: Any) -> Device:
    device = Device(as_user("familie"))
    device.pull()
    return device


def note_fields(
    demo: dict[str, Any], text: str = "Emma siger hej", column: str = "working"
) -> dict[str, Any]:
    return {"meeting_id": demo["meeting"], "column": column, "text": text}


def two_tablets_sharing_a_note(as_user: Any, demo: dict[str, Any]) -> tuple[Device, Device, str]:
    """The family unit worker's tablet and the educator's, both synced with one new note."""
    a, b = Device(as_user("familie")), Device(as_user("paedagog"))
    note_id = new_id()
    a.upsert("board_note", note_id, **note_fields(demo))
    a.push()
    a.pull()
    b.pull()
    return a, b, note_id


def server_note(client: Client, note_id: str) -> dict[str, Any]:
    resp = client.get(f"/api/notes/{note_id}")
    assert resp.status_code == 200, resp.get_json()
    body: dict[str, Any] = resp.get_json()
    return body


def test_a_note_made_offline_arrives_once_however_often_it_is_sent(
    tablet: Device, demo: dict[str, Any]
) -> None:
    note_id = new_id()
    tablet.upsert("board_note", note_id, **note_fields(demo))
    batch = list(tablet.outbox)
    first = tablet.push()
    assert first[0]["status"] == "applied"
    assert first[0]["version"] == 1
    # the answer was lost: the tablet sends the same batch again, twice
    tablet.outbox = batch + batch
    again = tablet.push()
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert again[0]["first_status"] == "applied"
    assert again[0]["version"] == 1
    notes = tablet.api.get(f"/api/meetings/{demo['meeting']}/notes").get_json()
    assert [n["id"] for n in notes] == [note_id]


def test_two_tablets_editing_different_fields_both_keep_their_edits(
    as_user: Any, demo: dict[str, Any]
) -> None:
    a, b, note_id = two_tablets_sharing_a_note(as_user, demo)
    a.upsert("board_note", note_id, text="Emma leger med Ida")
    b.upsert("board_note", note_id, column="next_steps")
    assert a.push()[0]["status"] == "applied"
    assert b.push()[0]["status"] == "merged"
    note = server_note(a.api, note_id)
    assert (note["text"], note["column"]) == ("Emma leger med Ida", "next_steps")
    assert a.pull() and b.pull()
    assert a.records[("board_note", note_id)] == b.records[("board_note", note_id)]


def test_same_field_later_edit_wins_and_the_loser_is_kept_for_its_author(
    as_user: Any, demo: dict[str, Any]
) -> None:
    a, b, note_id = two_tablets_sharing_a_note(as_user, demo)
    b.now_ms += 5_000  # b edits later than a
    a.upsert("board_note", note_id, text="a's version")
    b.upsert("board_note", note_id, text="b's version")
    # b arrives first, a (the earlier edit) second: the later edit still wins
    assert b.push()[0]["status"] == "applied"
    result = a.push()[0]
    assert result["status"] == "merged"
    assert result["conflicts"][0]["value"] == "a's version"
    assert result["conflicts"][0]["winning_value"] == "b's version"
    assert server_note(a.api, note_id)["text"] == "b's version"
    # every device of a's author receives the conflict; b's author does not
    second_tablet_of_a = Device(a.api)
    conflicts = [c for c in second_tablet_of_a.pull() if c["entity"] == "conflict"]
    assert [c["fields"]["value"] for c in conflicts] == ["a's version"]
    assert [c for c in b.pull() if c["entity"] == "conflict"] == []


def test_restoring_a_lost_value_and_resolving_the_conflict(
    as_user: Any, demo: dict[str, Any]
) -> None:
    a, b, note_id = two_tablets_sharing_a_note(as_user, demo)
    b.now_ms += 5_000
    b.upsert("board_note", note_id, text="b's version")
    b.push()
    a.upsert("board_note", note_id, text="a's version")
    conflict_id = a.push()[0]["conflicts"][0]["id"]
    a.pull()
    a.upsert("board_note", note_id, text="a's version")  # restore: now a has seen b's
    a.upsert("conflict", conflict_id, resolved=True)
    results = a.push()
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert server_note(a.api, note_id)["text"] == "a's version"
    a.pull()
    assert a.records[("conflict", conflict_id)]["fields"]["resolved"] is True
    # nobody else may touch a's conflicts
    b.upsert("conflict", conflict_id, resolved=False)
    assert b.push()[0]["error"]["code"] == "not_found"


def test_an_edit_to_a_deleted_note_keeps_it_deleted_and_keeps_the_edit(
    as_user: Any, demo: dict[str, Any]
) -> None:
    a, b, note_id = two_tablets_sharing_a_note(as_user, demo)
    a.delete("board_note", note_id)
    b.upsert("board_note", note_id, text="edited meanwhile")
    a.push()
    result = b.push()[0]
    assert result["status"] == "merged"
    assert result["conflicts"][0]["kind"] == "deleted"
    assert result["conflicts"][0]["value"] == "edited meanwhile"
    assert b.api.get(f"/api/notes/{note_id}").status_code == 404
    b.pull()
    assert b.records[("board_note", note_id)]["deleted"] is True
    b.restore("board_note", note_id, text="edited meanwhile")
    assert b.push()[0]["status"] == "applied"
    assert server_note(b.api, note_id)["text"] == "edited meanwhile"


def test_a_rejected_mutation_does_not_block_the_rest(tablet: Device, demo: dict[str, Any]) -> None:
    good_before, good_after, bad = new_id(), new_id(), new_id()
    tablet.upsert("board_note", good_before, **note_fields(demo, "før"))
    tablet.upsert("board_note", bad, **note_fields(demo, "", column="sideways"))
    tablet.upsert("board_note", good_after, **note_fields(demo, "efter"))
    results = tablet.push()
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    error = results[1]["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"text", "column"}
    assert [m["record_id"] for m in tablet.outbox] == [bad]  # kept for its author to fix


def test_process_rules_apply_to_pushed_changes_too(tablet: Device, demo: dict[str, Any]) -> None:
    tablet.upsert("meeting", demo["meeting"], status="finished", child_participation="part")
    result = tablet.push()[0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "child_perspective_missing"
    assert result["error"]["fields"]["child_perspective"]
    assert server_meeting(tablet.api, demo)["status"] == "planned"


def server_meeting(client: Client, demo: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/api/meetings/{demo['meeting']}").get_json()
    return body


def test_mutations_on_records_of_another_institution_reveal_nothing(
    as_user: Any, demo: dict[str, Any]
) -> None:
    outsider = Device(as_user("paedagog2"))
    note_id = new_id()
    insider = Device(as_user("familie"))
    insider.upsert("board_note", note_id, **note_fields(demo, "hemmelig"))
    insider.push()
    outsider.upsert("board_note", note_id, text="overwritten")
    outsider.delete("board_note", note_id)
    outsider.upsert("board_note", new_id(), **note_fields(demo, "sneaked in"))
    outsider.upsert("meeting", demo["meeting"], place="elsewhere")
    missing = new_id()
    outsider.upsert("board_note", missing, text="x")  # a note that does not exist at all
    results = outsider.push()
    assert all(r["status"] == "rejected" for r in results)
    assert {r["error"]["code"] for r in results[:2]} == {"not_found"}
    assert results[0]["error"] == results[1]["error"]
    assert "hemmelig" not in str(results)
    assert server_note(insider.api, note_id)["text"] == "hemmelig"


def test_unknown_entities_fields_and_injection_attempts_are_rejected(
    tablet: Device, demo: dict[str, Any]
) -> None:
    note_id = new_id()
    tablet.upsert("board_note", note_id, **note_fields(demo))
    tablet.upsert("user_account", new_id(), role="admin")
    tablet.upsert("board_note; DROP TABLE board_note", new_id(), text="x")
    tablet.upsert("board_note", note_id, **{"text = 'x' --": "y"})
    tablet.upsert("board_note", note_id, version=99, deleted_at=None)
    results = tablet.push()
    assert results[0]["status"] == "applied"
    assert [r["error"]["code"] for r in results[1:]] == [
        "unknown_entity",
        "unknown_entity",
        "invalid",
        "invalid",
    ]
    assert server_note(tablet.api, note_id)["version"] == 1


def test_malformed_batches_get_clear_errors(tablet: Device, demo: dict[str, Any]) -> None:
    api = tablet.api
    not_json = api.post(
        "/api/sync/push", data="{nope", content_type="application/json", headers=SYNC
    )
    assert not_json.status_code == 400
    no_client = api.post("/api/sync/push", {"mutations": []}, headers=SYNC)
    assert no_client.status_code == 422
    assert "client_id" in no_client.get_json()["error"]["fields"]
    garbage = api.post(
        "/api/sync/push",
        {"client_id": tablet.client_id, "mutations": [42, {"id": "x"}]},
        headers=SYNC,
    )
    assert [r["status"] for r in garbage.get_json()["results"]] == ["rejected", "rejected"]
    too_many = [{"id": new_id()} for _ in range(501)]
    big = api.post(
        "/api/sync/push", {"client_id": tablet.client_id, "mutations": too_many}, headers=SYNC
    )
    assert big.status_code == 413
    assert big.get_json()["error"]["message"]


def test_a_clock_far_in_the_future_does_not_win_every_conflict(
    as_user: Any, demo: dict[str, Any]
) -> None:
    import time

    a, b = Device(as_user("familie")), Device(as_user("paedagog"))
    real_now = time.time_ns() // 1_000_000
    a.now_ms = real_now + 365 * 24 * 3600 * 1000  # a's clock is a year ahead
    b.now_ms = real_now + 61_000 + 5_000  # b edits a little after a's clamped stamp
    note_id = new_id()
    a.upsert("board_note", note_id, **note_fields(demo))
    a.push()
    a.pull()
    b.pull()
    a.upsert("board_note", note_id, text="from the future")
    b.upsert("board_note", note_id, text="from now")
    a.push()
    b.push()
    assert server_note(a.api, note_id)["text"] == "from now"


def test_old_app_version_is_told_to_reload_and_nothing_is_applied(
    tablet: Device, demo: dict[str, Any]
) -> None:
    note_id = new_id()
    tablet.upsert("board_note", note_id, **note_fields(demo))
    resp = tablet.api.post(
        "/api/sync/push",
        {"client_id": tablet.client_id, "mutations": tablet.outbox},
        headers={"Sync-Protocol": "0"},
    )
    assert resp.status_code == 426
    assert resp.get_json()["error"]["code"] == "client_outdated"
    assert tablet.api.get(f"/api/notes/{note_id}").status_code == 404


def test_pushed_changes_are_audited(app: Flask, tablet: Device, demo: dict[str, Any]) -> None:
    from sqlalchemy import select

    from server.extensions import db
    from server.models import AuditEntry

    note_id = new_id()
    tablet.upsert("board_note", note_id, **note_fields(demo))
    tablet.push()
    with app.app_context():
        actions = {
            (e.action, e.record_id)
            for e in db.session.scalars(
                select(AuditEntry).where(AuditEntry.actor_id == demo["users"]["familie"])
            )
        }
    assert ("create", note_id) in actions


def test_a_database_failure_on_one_mutation_spares_the_others(
    tablet: Device, demo: dict[str, Any]
) -> None:
    """Fault injection: the database refuses one note's insert (as a constraint would).

    The fast path (inserting simple creates together) fails, the push falls back to one
    savepoint per mutation, and only the poisoned one is refused — as a retryable fault.
    """
    from sqlalchemy import event
    from sqlalchemy.exc import IntegrityError

    from server.models import BoardNote

    def refuse(_mapper: Any, _conn: Any, target: BoardNote) -> None:
        if target.text == "poison":
            raise IntegrityError("INSERT", {}, Exception("injected fault"))

    event.listen(BoardNote, "before_insert", refuse)
    try:
        ids = [new_id(), new_id(), new_id()]
        for note_id, text in zip(ids, ("før", "poison", "efter"), strict=True):
            tablet.upsert("board_note", note_id, **note_fields(demo, text))
        results = tablet.push()
    finally:
        event.remove(BoardNote, "before_insert", refuse)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["error"]["code"] == "server_error"
    assert server_note(tablet.api, ids[0])["text"] == "før"
    assert server_note(tablet.api, ids[2])["text"] == "efter"
    # the fault is not remembered: once the database accepts it, sending it again works
    assert tablet.push()[0]["status"] == "applied"
    assert server_note(tablet.api, ids[1])["text"] == "poison"


def test_a_note_made_and_changed_offline_arrives_in_its_last_state(
    tablet: Device, demo: dict[str, Any]
) -> None:
    note_id = new_id()
    tablet.upsert("board_note", note_id, **note_fields(demo, "første udkast"))
    tablet.upsert("board_note", note_id, text="rettet")
    tablet.upsert("board_note", note_id, column="next_steps")
    results = tablet.push()
    assert [r["status"] for r in results] == ["applied", "applied", "applied"]
    record = Device(tablet.api).pull_record("board_note", note_id)
    assert (record["fields"]["text"], record["fields"]["column"]) == ("rettet", "next_steps")
    assert [r["version"] for r in results] == [record["version"]] * 3
    tablet.upsert("board_note", note_id, text="igen")
    assert tablet.push()[0]["version"] == record["version"] + 1
    assert server_note(tablet.api, note_id)["version"] == record["version"] + 1


def test_a_pushed_change_needs_the_record_itself_to_be_readable(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """Reading the parent is not enough to change a record: a family-unit worker who reads
    Emma through her own course may not change Emma's other course, nor a child she cannot
    read at all (whose parent, the institution, everyone may name)."""
    admin = as_user("admin")
    frank_id = new_staff(
        app,
        admin,
        as_user("admin2"),
        {"email": "familie2@example.org", "name": "Frank Familie", "role": "family_unit"},
        "demo-password-for-tests",
    )["id"]
    other_course = as_user("paedagog").post(
        "/api/courses",
        {
            "child_id": demo["children"]["Emma"],
            "leader_id": frank_id,
            "concern_level": "moderate",
            "reason": "Frank's own worry",
            "start_date": "2026-12-01",
        },
    )
    assert other_course.status_code == 201, other_course.get_json()
    tablet = Device(as_user("familie"))
    tablet.upsert("course", other_course.get_json()["id"], reason="overwritten")
    tablet.upsert("child", demo["children"]["Freja"], first_name="overwritten")
    results = tablet.push()
    assert [r["error"]["code"] for r in results] == ["not_found", "not_found"]
    paedagog2 = as_user("paedagog2")
    assert (
        paedagog2.get(f"/api/children/{demo['children']['Freja']}").get_json()["first_name"]
        == "Freja"
    )
    reason = as_user("paedagog").get(f"/api/courses/{other_course.get_json()['id']}")
    assert reason.get_json()["reason"] == "Frank's own worry"


@pytest.mark.parametrize("entity", ["board_note", "meeting"])
def test_a_fault_of_any_kind_in_one_mutation_spares_the_others(
    tablet: Device, demo: dict[str, Any], entity: str
) -> None:
    """A bug (not a database error) while writing one record — in a kind without rules
    (fast path) and one with rules (a savepoint each): that mutation alone is answered
    ``server_error``, unstored, so it is retried; the others are applied."""
    from sqlalchemy import event

    from server.models import BoardNote, Meeting

    model = BoardNote if entity == "board_note" else Meeting

    def explode(_mapper: Any, _conn: Any, target: Any) -> None:
        if getattr(target, "text", None) == "poison" or getattr(target, "place", "") == "poison":
            raise RuntimeError("injected bug")

    event.listen(model, "before_insert", explode)
    try:
        good = [new_id(), new_id()]
        tablet.upsert("board_note", good[0], **note_fields(demo, "før"))
        if entity == "board_note":
            tablet.upsert("board_note", new_id(), **note_fields(demo, "poison"))
        else:
            tablet.upsert(
                "meeting",
                new_id(),
                course_id=demo["course"],
                kind="follow_up",
                starts_at="2026-12-20T09:00:00+00:00",
                place="poison",
            )
        tablet.upsert("board_note", good[1], **note_fields(demo, "efter"))
        results = tablet.push()
    finally:
        event.remove(model, "before_insert", explode)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["error"]["code"] == "server_error"
    assert len(tablet.outbox) == 1  # kept, to be sent again
    assert server_note(tablet.api, good[1])["text"] == "efter"
    assert tablet.push()[0]["status"] == "applied"  # the fault is gone: sent again, it applies


def test_a_fault_no_mutation_caused_is_not_applied_again_one_by_one(
    tablet: Device, demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the fast path's held-back writes are taken again a savepoint each: a fault of
    the batch's own statements (here: writing its audit entries) is tried once, answers
    500, stores nothing, and the same batch sent again applies."""
    from server.records.batch import Batch

    tried: list[int] = []

    def broken(_batch: Batch) -> None:
        tried.append(1)
        raise RuntimeError("injected fault")

    ids = [new_id(), new_id()]
    for note_id in ids:
        tablet.upsert("board_note", note_id, **note_fields(demo, "før"))
    with monkeypatch.context() as patch:
        patch.setattr(Batch, "write_audit", broken)
        resp = tablet.api.post(
            "/api/sync/push",
            {"client_id": tablet.client_id, "mutations": tablet.outbox},
            headers=SYNC,
        )
    assert resp.status_code == 500
    assert tried == [1]
    assert tablet.api.get(f"/api/notes/{ids[0]}").status_code == 404
    assert [r["status"] for r in tablet.push()] == ["applied", "applied"]
    assert server_note(tablet.api, ids[1])["text"] == "før"
