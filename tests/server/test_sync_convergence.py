"""Random interleavings of offline edits and syncs on several devices (hypothesis).

Whatever the order, all devices end with the server's state, and no edit is silently lost:
each edited value is the final one, or is kept as a conflict, or was replaced by someone
who had already seen it.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.budget import budget
from tests.harness import ApiClient
from tests.server.syncclient import Device

DEVICES = ("a", "b", "c")  # a and c: two tablets of the family unit worker; b: the educator
action = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(DEVICES), st.sampled_from(("text", "position"))),
    st.tuples(st.just("delete"), st.sampled_from(DEVICES), st.none()),
    st.tuples(st.just("restore"), st.sampled_from(DEVICES), st.none()),
    st.tuples(st.just("push"), st.sampled_from(DEVICES), st.none()),
    st.tuples(st.just("pull"), st.sampled_from(DEVICES), st.none()),
    st.tuples(st.just("wait"), st.sampled_from(DEVICES), st.integers(1, 3000)),
)


@pytest.fixture
def staff(as_user: Any) -> dict[str, ApiClient]:
    """Signed in once for all examples (signing in per example would meet the rate limit)."""
    return {"familie": as_user("familie"), "paedagog": as_user("paedagog")}


@settings(
    max_examples=budget(20, quick=5),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(action, min_size=1, max_size=25))
def test_devices_converge_and_no_edit_is_lost(
    staff: dict[str, ApiClient], demo: dict[str, Any], steps: list[tuple[str, str, Any]]
) -> None:
    familie = staff["familie"]
    devices = {"a": Device(familie), "b": Device(staff["paedagog"]), "c": Device(familie)}
    note_id = str(uuid.uuid4())
    devices["a"].upsert(
        "board_note",
        note_id,
        meeting_id=demo["meeting"],
        column="worries",
        text="start",
        position=0.0,
    )
    devices["a"].push()
    for device in devices.values():
        device.pull()
    edits: list[dict[str, Any]] = []
    results: dict[str, dict[str, Any]] = {}
    counter = 0
    for kind, name, arg in steps:
        device = devices[name]
        if kind == "edit":
            counter += 1
            value = f"{name}-{counter}" if arg == "text" else float(counter)
            edits.append(
                {
                    **device.upsert("board_note", note_id, **{arg: value}),
                    "device": name,
                    "n": counter,
                }
            )
        elif kind == "delete":
            device.delete("board_note", note_id)
        elif kind == "restore":
            device.restore("board_note", note_id)
        elif kind == "push":
            results.update({r["id"]: r for r in _push(device)})
        elif kind == "pull":
            device.pull()
        else:
            device.now_ms += arg
    for device in devices.values():
        results.update({r["id"]: r for r in _push(device)})
    for device in devices.values():
        device.pull()

    final = Device(familie).pull_record("board_note", note_id)
    for device in devices.values():
        mine = device.records[("board_note", note_id)]
        assert (mine["version"], mine["deleted"], mine["fields"]) == (
            final["version"],
            final["deleted"],
            final["fields"],
        )
    assert all(r["status"] != "rejected" for r in results.values()), results

    conflicts = {
        (c["fields"]["field"], c["fields"]["value"])
        for d in devices.values()
        for (e, _), c in d.records.items()
        if e == "conflict" and c["fields"]["record_id"] == note_id
    }
    for edit in edits:
        ((field, value),) = edit["fields"].items()
        produced = results[edit["id"]]["version"]
        # replaced by an edit whose author had seen this one: pulled it, or made it
        seen_later = any(
            field in other["fields"]
            and other is not edit
            and (
                (other["base_version"] or 0) >= produced
                or (other["device"] == edit["device"] and other["n"] > edit["n"])
            )
            for other in edits
        )
        assert final["fields"][field] == value or (field, value) in conflicts or seen_later, (
            edit,
            final,
            conflicts,
        )


def _push(device: Device) -> list[dict[str, Any]]:
    return device.push() if device.outbox else []
