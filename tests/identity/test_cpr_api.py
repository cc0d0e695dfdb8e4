"""CPR numbers over the API (server/children/routes.py): set by who may change the child or
guardian, shown masked to who may read the child, never the digits, never to an admin."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.identity import da
from server.identity.cpr import Cpr
from server.identity.cpr_store import with_cpr
from server.models import AuditEntry, Child, Guardian
from tests.harness import ApiClient
from tests.identity.patterns import cpr_numbers_in
from tests.server.syncclient import Device

EMMA_CPR = "0103204234"  # 1 March 2020 (7th digit 4, year 20: the 2000s)
MOTHER_CPR = "1508881234"


def _guardian(app: Flask, child_id: str) -> str:
    with app.app_context():
        found = db.session.scalars(select(Guardian.id).where(Guardian.child_id == child_id))
        return str(next(iter(found)))


def _add_psychologist(demo: dict[str, Any], familie: ApiClient) -> None:
    members = f"/api/courses/{demo['course']}/members"
    assert familie.post(members, {"user_id": demo["users"]["ppr"]}).status_code < 300


def test_staff_set_a_cpr_number_and_read_it_masked(
    app: Flask, demo: dict[str, Any], as_user: Any
) -> None:
    emma = demo["children"]["Emma"]
    familie: ApiClient = as_user("familie")
    answer = familie.put(f"/api/children/{emma}/cpr", {"cpr": "010320-4234"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"cpr_masked": "010320-XXXX"}
    assert EMMA_CPR not in answer.get_data(as_text=True)
    mother = _guardian(app, emma)
    assert familie.put(f"/api/guardians/{mother}/cpr", {"cpr": MOTHER_CPR}).status_code == 200
    _add_psychologist(demo, familie)
    for who in ("familie", "paedagog", "ppr"):  # the course's staff
        read = as_user(who).get(f"/api/children/{emma}/cpr")
        assert read.status_code == 200 and read.get_json() == {"cpr_masked": "010320-XXXX"}
    assert as_user("paedagog").get(f"/api/guardians/{mother}/cpr").get_json() == {
        "cpr_masked": "150888-XXXX"
    }
    with app.app_context():  # stored encrypted, found by its keyed hash
        child = db.session.scalars(select(Child).where(with_cpr(Child.cpr_lookup, Cpr(EMMA_CPR))))
        assert [c.id for c in child] == [emma]
        raw = db.session.execute(db.text("SELECT cpr FROM child WHERE id = :i"), {"i": emma})
        assert EMMA_CPR not in str(raw.scalar())
        details = {e.detail for e in db.session.scalars(select(AuditEntry))}
        assert "cpr" in details and not any(EMMA_CPR in d or MOTHER_CPR in d for d in details)


def test_an_admin_and_staff_of_other_children_see_no_cpr(
    demo: dict[str, Any], as_user: Any
) -> None:
    emma = demo["children"]["Emma"]
    as_user("familie").put(f"/api/children/{emma}/cpr", {"cpr": EMMA_CPR})
    missing = as_user("admin").get("/api/children/00000000-0000-4000-8000-000000000000/cpr")
    assert missing.status_code == 404
    for who in ("admin", "paedagog2", "ppr"):  # no child's data / elsewhere / not a member
        answer = as_user(who).get(f"/api/children/{emma}/cpr")
        assert (answer.status_code, answer.get_json()) == (404, missing.get_json())
        assert as_user(who).put(f"/api/children/{emma}/cpr", {"cpr": None}).status_code == 404


def test_only_who_may_change_the_child_sets_it(demo: dict[str, Any], as_user: Any) -> None:
    emma = demo["children"]["Emma"]
    _add_psychologist(demo, as_user("familie"))
    before = as_user("ppr").get(f"/api/children/{emma}/cpr").get_json()
    refused = as_user("ppr").put(f"/api/children/{emma}/cpr", {"cpr": EMMA_CPR})
    assert refused.status_code == 403  # psychologists read the child, do not keep its file
    assert as_user("ppr").get(f"/api/children/{emma}/cpr").get_json() == before
    assert before != {"cpr_masked": "010320-XXXX"}
    paedagog = as_user("paedagog")
    assert paedagog.put(f"/api/children/{emma}/cpr", {"cpr": EMMA_CPR}).status_code == 200
    removed = paedagog.put(f"/api/children/{emma}/cpr", {"cpr": None})
    assert removed.get_json() == {"cpr_masked": None}


def test_a_bad_number_is_a_field_error_in_danish_that_never_repeats_it(
    demo: dict[str, Any], as_user: Any
) -> None:
    emma = demo["children"]["Emma"]
    familie = as_user("familie")
    before = familie.get(f"/api/children/{emma}/cpr").get_json()
    full_width = "".join(chr(0xFF10 + int(d)) for d in EMMA_CPR)  # not ASCII digits
    for bad in ("3102204234", "010320423", "01032042345", full_width, "abcdefghij"):
        answer = familie.put(f"/api/children/{emma}/cpr", {"cpr": bad})
        assert answer.status_code == 422
        body = answer.get_json()
        assert body["error"]["code"] == "invalid"
        assert body["error"]["fields"] == {"cpr": [da.CPR_INVALID]}
        assert bad not in answer.get_data(as_text=True)
    assert familie.put(f"/api/children/{emma}/cpr", {}).status_code == 422
    assert familie.get(f"/api/children/{emma}/cpr").get_json() == before  # unchanged


def test_the_record_itself_never_carries_it(demo: dict[str, Any], as_user: Any) -> None:
    """The child's and guardian's records are what sync pulls: no CPR field in or out."""
    emma = demo["children"]["Emma"]
    familie = as_user("familie")
    familie.put(f"/api/children/{emma}/cpr", {"cpr": EMMA_CPR})
    record = familie.get(f"/api/children/{emma}").get_json()
    assert not {"cpr", "cpr_masked", "cpr_lookup"} & set(record)
    sneaked = familie.patch(f"/api/children/{emma}", {"cpr": "1508881234"})
    assert sneaked.status_code == 422  # unknown field: the record's schema has none


def test_sync_neither_takes_nor_gives_a_cpr_number(demo: dict[str, Any], as_user: Any) -> None:
    """A pushed child or guardian with a CPR field is refused; a pull after numbers were set
    carries none of them (the PostgreSQL pull documents included, when run on it)."""
    emma = demo["children"]["Emma"]
    familie = as_user("familie")
    familie.put(f"/api/children/{emma}/cpr", {"cpr": EMMA_CPR})
    guardians = familie.get(f"/api/children/{emma}/guardians").get_json()
    familie.put(f"/api/guardians/{guardians[0]['id']}/cpr", {"cpr": MOTHER_CPR})
    tablet = Device(familie)
    pulled = tablet.pull()
    assert {"child", "guardian", "course", "meeting"} <= {c["entity"] for c in pulled}
    assert cpr_numbers_in(json.dumps(pulled), [EMMA_CPR, MOTHER_CPR]) == []
    assert "cpr" not in json.dumps(pulled)  # not even a field name
    tablet.upsert("child", emma, cpr=EMMA_CPR)
    tablet.upsert("guardian", guardians[0]["id"], cpr_masked="150888-XXXX")
    results = tablet.push()
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert cpr_numbers_in(json.dumps(results), [EMMA_CPR]) == []
