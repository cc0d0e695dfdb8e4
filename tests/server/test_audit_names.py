"""A name the API accepts at its limit (200 characters), with the role or "(mor)" after it,
must still be logged: PostgreSQL refused the audit entry (a 500 on the very read being
logged, found by tests/attack/test_pdf_any_text.py on PostgreSQL) and SQLite kept more than
the column holds."""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from sqlalchemy import select

from server import audit
from server.extensions import db
from server.models import AuditEntry, User
from server.users import log

LONG = "Å" * 200  # the staff and guardian name fields' limit


def test_a_name_at_its_limit_is_logged_cut_to_the_column(app: Flask, demo: dict[str, Any]) -> None:
    with app.test_request_context():
        user = db.session.scalars(select(User).where(User.email == "familie@example.org")).one()
        user.name = LONG
        g.user = user
        audit.record("read", "course", demo["course"], None)
        audit.record_many([("read", "course", demo["course"], None, "")])
        audit.record_guardian("g", f"{LONG} (mor)", "read", "report", None, "c")
        log.entry("renamed", user.id, "name", user)
        db.session.commit()
        names = db.session.scalars(
            select(AuditEntry.actor_name).where(AuditEntry.actor_name.startswith("ÅÅÅ"))
        ).all()
        db.session.rollback()
    assert len(names) == 4
    assert all(len(name) <= 200 for name in names), [len(n) for n in names]
