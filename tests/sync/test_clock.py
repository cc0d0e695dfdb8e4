"""Hybrid logical clock stamps (sync/clock.py): order, monotonicity, drift bound."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.clock import MAX_DRIFT_MS, Clock, Stamp, clamp, parse

walls = st.integers(min_value=0, max_value=9_999_999_999_999)
stamps = st.builds(
    Stamp, walls, st.integers(0, 99_999), st.text("abcdef0123456789-", min_size=1, max_size=12)
)


@given(st.lists(walls, min_size=1, max_size=50))
def test_ticks_only_go_forward_even_when_the_wall_clock_jumps_back(readings: list[int]) -> None:
    values = iter(readings)
    clock = Clock("tablet", now_ms=lambda: next(values))
    made = [clock.tick() for _ in readings]
    assert made == sorted(made)
    assert len({str(s) for s in made}) == len(made)


@given(stamps, stamps)
def test_string_order_is_stamp_order(a: Stamp, b: Stamp) -> None:
    assert (str(a) < str(b)) == (a < b)
    assert parse(str(a)) == a


@given(stamps, walls)
def test_clamp_bounds_the_future_and_is_idempotent(stamp: Stamp, now: int) -> None:
    bounded = clamp(stamp, now)
    assert bounded.wall <= max(
        stamp.wall if stamp.wall <= now + MAX_DRIFT_MS else 0, now + MAX_DRIFT_MS
    )
    assert clamp(bounded, now) == bounded
    assert (bounded.counter, bounded.node) == (stamp.counter, stamp.node)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "x",
        "123:45:node",
        "1795000000000:00000:",
        "1795000000000:00000:no spaces",
        "1795000000000:000001:n",
        "9" * 14 + ":00000:n",
        "1795000000000:00000:a'; DROP--",
    ],
)
def test_malformed_stamps_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse(bad)
