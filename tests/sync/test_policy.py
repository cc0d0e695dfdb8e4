"""The conflict policy (sync/policy.py) as pure functions: concurrent edits to one record
reach the same values in any order, and every losing value is kept (a device's value that the
same device replaced later is not a loss)."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sync.clock import Stamp
from sync.policy import Edit, FieldMeta, decide

FIELDS = ("text", "column", "position")


def edits() -> st.SearchStrategy[list[Edit]]:
    edit = st.builds(
        lambda fields, wall, node: Edit(
            fields=fields,
            stamp=Stamp(wall, 0, node),
            base_version=1,
            user_id=f"user-{node}",
            client_id=node,
        ),
        st.dictionaries(st.sampled_from(FIELDS), st.integers(0, 5), min_size=1),
        st.integers(1000, 1010),
        st.sampled_from(["a", "b", "c", "d"]),
    )
    return st.lists(edit, min_size=1, max_size=4, unique_by=lambda e: (e.stamp, e.client_id))


def run(order: list[Edit]) -> tuple[dict[str, Any], set[tuple[str, Any, str]]]:
    """Apply edits (all made offline on version 1) in ``order``, as the server would."""
    values: dict[str, Any] = {name: "start" for name in FIELDS}
    metas: dict[str, FieldMeta | None] = {name: None for name in FIELDS}
    lost: set[tuple[str, Any, str]] = set()
    version = 1
    for edit in order:
        version += 1
        decision = decide(values, metas, False, edit, version)
        values.update(decision.apply)
        metas.update(decision.meta)
        lost |= {(c.field, c.value, c.clock) for c in decision.conflicts}
    return values, lost


@given(edits())
def test_any_delivery_order_gives_the_same_values_and_keeps_every_loser(batch: list[Edit]) -> None:
    outcomes = [run(list(order)) for order in itertools.permutations(batch)]
    assert all(values == outcomes[0][0] for values, _ in outcomes)
    for values, lost in outcomes:
        _assert_nothing_lost(batch, values, lost)


def _assert_nothing_lost(
    batch: list[Edit], values: dict[str, Any], lost: set[tuple[str, Any, str]]
) -> None:
    for edit in batch:
        for name, value in edit.fields.items():
            replaced_by_self = any(
                name in other.fields
                and other.client_id == edit.client_id
                and other.stamp > edit.stamp
                for other in batch
            )
            assert (
                values[name] == value
                or (name, value, str(edit.stamp)) in lost
                or replaced_by_self
                or any(other.fields.get(name) == value for other in batch if other is not edit)
            )


def test_an_edit_to_a_deleted_record_is_kept_whole() -> None:
    edit = Edit(
        fields={"text": "x", "position": 2.0},
        stamp=Stamp(5, 0, "a"),
        base_version=1,
        user_id="u",
        client_id="a",
    )
    decision = decide({"text": "old", "position": 1.0}, {}, True, edit, 3)
    assert decision.apply == {}
    assert {(c.field, c.value, c.kind) for c in decision.conflicts} == {
        ("text", "x", "deleted"),
        ("position", 2.0, "deleted"),
    }


def test_a_sequential_edit_wins_even_with_an_older_clock() -> None:
    """The author saw the current value (base_version), so a slow clock does not matter."""
    current = FieldMeta(clock=f"{9_000:013d}:00000:b", version=2, user_id="u2", client_id="b")
    edit = Edit(
        fields={"text": "new"},
        stamp=Stamp(1_000, 0, "a"),
        base_version=2,
        user_id="u1",
        client_id="a",
    )
    decision = decide({"text": "old"}, {"text": current}, False, edit, 3)
    assert decision.apply == {"text": "new"}
    assert decision.conflicts == []
