"""A new child as every test sends it: the server requires a birth date when a child is made
(issue 23), so the tests that make one give it here, once, instead of each its own."""

from __future__ import annotations

from server.records.schemas import danish_today, years_before

# A child of six, counted from the day the test runs: never in the future, never too old.
BIRTH_DATE = years_before(danish_today(), 6).isoformat()


def new_child(first_name: str, last_name: str, institution_id: str) -> dict[str, str]:
    """The body of a POST /api/children (or a pushed child create)."""
    return {
        "first_name": first_name,
        "last_name": last_name,
        "institution_id": institution_id,
        "birth_date": BIRTH_DATE,
    }
