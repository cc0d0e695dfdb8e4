"""The strict JSON reading (server/records/json_input.py): its fast path (only the nesting is
looked at when the JSON text cannot hold bad text) finds exactly what the full check finds."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from server.records.json_input import MAX_DEPTH, may_hold_bad_text, problems

texts = st.text(alphabet=st.characters(codec=None, blacklist_categories=()), max_size=8)
values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=12,
)


def nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": [value]}
    return value


@settings(max_examples=300, deadline=None)
@given(values, st.integers(0, 2 * MAX_DEPTH))
def test_the_fast_path_finds_what_the_full_check_finds(value: Any, depth: int) -> None:
    value = [value, nested(depth // 2)]
    text = json.dumps(value)  # escapes surrogates and NUL, as any JSON encoder may
    assert problems(value, texts=may_hold_bad_text(text)) == problems(value)
    unescaped = json.dumps(value, ensure_ascii=False)  # lone surrogates stay as they are
    assert problems(value, texts=may_hold_bad_text(unescaped)) == problems(value)


def test_what_cannot_be_stored_is_named_by_its_path() -> None:
    found = problems({"a": ["ok", "lone \ud800"], "b\x00": 1, "c": nested(MAX_DEPTH)})
    deep = [path for path in found if path.startswith("c.")]
    assert set(found) == {"a.1", "b\\x00", *deep} and len(deep) == 1
    assert found[deep[0]] == [f"Nested more than {MAX_DEPTH} levels deep."]
    assert problems({"text": "Emma siger hej 😀 æøå"}) == {}
