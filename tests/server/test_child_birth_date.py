"""A child is made with a birth date (issue 23): required, not after today, at most 25 years
back; refused in the one error shape, field by field, through REST and sync alike, with
nothing stored. Children made before it was required keep no date and stay readable."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from server.children.schemas import CHILD_YEARS
from server.extensions import db
from server.models import Child
from server.records.schemas import danish_today, years_before
from tests.harness import ApiClient
from tests.harness.children import new_child
from tests.server.syncclient import Device

TODAY = danish_today()


def children_named(app: Flask, first_name: str) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count()).select_from(Child).where(Child.first_name == first_name)
            )
            or 0
        )


def body(demo: dict[str, Any], first_name: str, **birth: Any) -> dict[str, Any]:
    fields = new_child(first_name, "Dato", demo["institutions"]["Solsikken"])
    del fields["birth_date"]
    return {**fields, **birth}


def refused_for_birth_date(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 422, answer.get_json()
    error: dict[str, Any] = answer.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert list(error["fields"]) == ["birth_date"]
    assert error["fields"]["birth_date"]  # a message for the field
    return error


@pytest.mark.parametrize(
    ("case", "birth"),
    [
        ("missing", {}),
        ("null", {"birth_date": None}),
        ("tomorrow", {"birth_date": str(TODAY + timedelta(days=1))}),
        ("next year", {"birth_date": str(TODAY + timedelta(days=366))}),
        ("too old", {"birth_date": str(years_before(TODAY, CHILD_YEARS) - timedelta(days=1))}),
        ("not a date", {"birth_date": "2020-02-30"}),
    ],
)
def test_a_child_without_a_fitting_birth_date_is_refused_and_nothing_stored(
    app: Flask, familie: ApiClient, demo: dict[str, Any], case: str, birth: dict[str, Any]
) -> None:
    name = f"Uden{uuid.uuid4().hex[:6]}"
    refused_for_birth_date(familie.post("/api/children", body(demo, name, **birth)))
    assert children_named(app, name) == 0, case


@pytest.mark.parametrize(
    "born", [TODAY, years_before(TODAY, CHILD_YEARS)], ids=["today", "25 years back"]
)
def test_the_boundaries_are_taken(
    app: Flask, familie: ApiClient, demo: dict[str, Any], born: Any
) -> None:
    name = f"Med{uuid.uuid4().hex[:6]}"
    made = familie.post("/api/children", body(demo, name, birth_date=str(born)))
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["birth_date"] == str(born)
    assert children_named(app, name) == 1


def test_a_pushed_child_without_a_birth_date_is_rejected_naming_the_field(
    app: Flask, as_user: Callable[[str], ApiClient], demo: dict[str, Any]
) -> None:
    tablet = Device(as_user("familie"))
    name = f"Synk{uuid.uuid4().hex[:6]}"
    tablet.upsert("child", str(uuid.uuid4()), **body(demo, name))
    tablet.upsert("child", str(uuid.uuid4()), **body(demo, name, birth_date=None))
    later = str(TODAY + timedelta(days=1))
    tablet.upsert("child", str(uuid.uuid4()), **body(demo, name, birth_date=later))
    results = tablet.push()
    assert [r["status"] for r in results] == ["rejected"] * 3
    for result in results:
        assert result["error"]["code"] == "invalid"
        assert list(result["error"]["fields"]) == ["birth_date"]
    assert children_named(app, name) == 0


def test_a_birth_date_cannot_be_cleared_but_an_old_child_without_one_stays_readable(
    familie: ApiClient, demo: dict[str, Any]
) -> None:
    # The demo's children were made before the date was required: they have none.
    emma = demo["children"]["Emma"]
    assert familie.get(f"/api/children/{emma}").get_json()["birth_date"] is None
    renamed = familie.patch(f"/api/children/{emma}", {"last_name": "Stadig uden dato"})
    assert renamed.status_code == 200, renamed.get_json()
    refused_for_birth_date(familie.patch(f"/api/children/{emma}", {"birth_date": None}))
    given = familie.patch(f"/api/children/{emma}", {"birth_date": str(years_before(TODAY, 5))})
    assert given.status_code == 200, given.get_json()
    refused_for_birth_date(familie.patch(f"/api/children/{emma}", {"birth_date": None}))
    later = str(TODAY + timedelta(days=1))
    refused_for_birth_date(familie.patch(f"/api/children/{emma}", {"birth_date": later}))
    assert familie.get(f"/api/children/{emma}").get_json()["birth_date"] == str(
        years_before(TODAY, 5)
    )


def test_a_leap_day_counts_back_to_the_28th() -> None:
    # The tablet's checker counts the same way (pwa/src/contract/check.test.ts).
    assert years_before(date(2028, 2, 29), 25) == date(2003, 2, 28)
    assert years_before(date(2028, 2, 28), 25) == date(2003, 2, 28)
