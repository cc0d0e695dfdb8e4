"""A child's and a guardian's CPR number at rest: only ciphertext in the database, found again
by its keyed hash, and a value moved to another column or row's purpose does not decrypt."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_crypto import CprDecryptError
from server.identity.cpr_store import set_cpr, with_cpr
from server.models import Child, Guardian

MOTHER = Cpr("0101851234")
CHILD = Cpr("0203195678")


def test_a_cpr_number_is_stored_encrypted_and_found_by_its_hash(
    app: Flask, demo: dict[str, Any]
) -> None:
    with app.app_context():
        guardian = db.session.scalars(select(Guardian)).first()
        assert guardian is not None
        child = db.session.get(Child, guardian.child_id)
        assert child is not None
        set_cpr(guardian, MOTHER)
        set_cpr(child, CHILD)
        db.session.commit()
        raw = db.session.execute(
            text("SELECT cpr, cpr_lookup FROM guardian WHERE id = :id"), {"id": guardian.id}
        ).one()
        assert MOTHER.digits not in raw.cpr and MOTHER.digits not in raw.cpr_lookup
        assert "010185" not in raw.cpr + raw.cpr_lookup
        db.session.expire_all()
        found = db.session.scalars(select(Guardian).where(with_cpr(Guardian.cpr_lookup, MOTHER)))
        assert [g.id for g in found] == [guardian.id]
        assert db.session.get(Guardian, guardian.id).cpr == MOTHER  # type: ignore[union-attr]
        nobody = select(Guardian).where(with_cpr(Guardian.cpr_lookup, CHILD))
        assert db.session.scalars(nobody).first() is None
        # The guardian's ciphertext copied onto the child does not decrypt there.
        db.session.execute(
            text("UPDATE child SET cpr = :c WHERE id = :id"), {"c": raw.cpr, "id": child.id}
        )
        db.session.commit()
        db.session.expire_all()
        with pytest.raises(CprDecryptError):
            db.session.get(Child, child.id).cpr  # type: ignore[union-attr]  # noqa: B018
