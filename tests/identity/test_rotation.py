"""``flask identity rotate-cpr``: rows written under k1, CPR_KEY=k2,k1, rotate: every row
under k2, still found by number, and k1 can leave the ring."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import String, select, type_coerce, update

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_crypto import new_key_entry
from server.identity.cpr_store import set_cpr, with_cpr
from server.models import Child, Guardian

K1, K2 = new_key_entry("k1"), new_key_entry("k2")
NUMBERS = ("0103204234", "1508881234", "2205904321", "0711755678", "3001006789", "1212127890")


def _without_numbers() -> None:
    """No stored number (the demo stores its test numbers under the development key)."""
    for model in (Child, Guardian):
        db.session.execute(update(model).values(cpr=None, cpr_lookup=None))


def _stored(model: Any) -> list[tuple[str, str]]:
    table = model.__table__
    rows = db.session.execute(
        select(type_coerce(table.c.cpr, String), table.c.cpr_lookup).where(table.c.cpr.is_not(None))
    )
    return [(str(c), str(h)) for c, h in rows]


def test_rotation_moves_every_number_to_the_current_key(demo: dict[str, Any], app: Flask) -> None:
    app.config["CPR_KEY"] = K1
    with app.app_context():
        _without_numbers()
        rows = [*db.session.scalars(select(Child)), *db.session.scalars(select(Guardian))]
        numbers = dict(zip((r.id for r in rows), NUMBERS * 2, strict=False))
        for row in rows:
            set_cpr(row, Cpr(numbers[row.id]))
        db.session.commit()
        versions = {r.id: r.version for r in db.session.scalars(select(Child))}
    app.config["CPR_KEY"] = f"{K2},{K1}"
    runner = app.test_cli_runner()
    first = runner.invoke(args=["identity", "rotate-cpr", "--batch", "2"])
    assert first.exit_code == 0, first.output
    assert "child: 3 rewritten under key 'k2'" in first.output
    assert "guardian: 6 rewritten under key 'k2'" in first.output
    again = runner.invoke(args=["identity", "rotate-cpr"])  # idempotent: nothing left to do
    assert "child: 0 rewritten" in again.output and "guardian: 0 rewritten" in again.output
    app.config["CPR_KEY"] = K2  # k1 removed from the ring
    with app.app_context():
        for model in (Child, Guardian):
            stored = _stored(model)
            assert stored and all(c.startswith("k2:") and h.startswith("k2:") for c, h in stored)
        for row_id, number in numbers.items():
            kind: Any = Child if row_id in versions else Guardian
            found = db.session.scalars(select(kind).where(with_cpr(kind.cpr_lookup, Cpr(number))))
            assert [r.id for r in found] == [row_id]
            row = db.session.get(kind, row_id)
            assert row is not None and row.cpr == Cpr(number)
        # The number did not change: the record's version (what tablets pull) did not either.
        assert {r.id: r.version for r in db.session.scalars(select(Child))} == versions


def test_rows_no_key_opens_are_left_and_reported(demo: dict[str, Any], app: Flask) -> None:
    app.config["CPR_KEY"] = K1
    with app.app_context():
        _without_numbers()
        child = db.session.scalars(select(Child)).first()
        assert child is not None
        set_cpr(child, Cpr(NUMBERS[0]))
        db.session.commit()
    app.config["CPR_KEY"] = K2  # the key it was written with is gone
    result = app.test_cli_runner().invoke(args=["identity", "rotate-cpr"])
    assert result.exit_code != 0
    assert "1 stored CPR numbers open with no key" in result.output
    assert NUMBERS[0] not in result.output
    app.config["CPR_KEY"] = K1
    with app.app_context():
        assert all(c.startswith("k1:") for c, _ in _stored(Child))
