"""Steps the Digital Post tests share: CPR numbers for a child's guardians, sending the
agenda from the tablet's API, and the meeting's letters as the tablet gets them."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import set_cpr
from server.models import Guardian
from tests.harness import ApiClient


def give_cprs(app: Flask, child_id: str, cprs: dict[str, str | None]) -> None:
    """CPR numbers for the child's guardians, by relation ("mor", "far"); None takes the
    demo's away."""
    with app.app_context():
        for guardian in db.session.scalars(select(Guardian).where(Guardian.child_id == child_id)):
            if guardian.relation in cprs:
                number = cprs[guardian.relation]
                set_cpr(guardian, Cpr(number) if number else None)
        db.session.commit()


def send_agenda(familie: ApiClient, meeting_id: str) -> int:
    resp = familie.post(f"/api/meetings/{meeting_id}/agenda/send")
    assert resp.status_code == 200, resp.get_json()
    sent: int = resp.get_json()["sent"]
    resp.close()  # the answer has gone out: now the letters are sent
    return sent


def letters(familie: ApiClient, meeting_id: str) -> dict[str, dict[str, Any]]:
    """The meeting's letters as the tablet gets them, by guardian relation."""
    resp = familie.get(f"/api/meetings/{meeting_id}/letters")
    assert resp.status_code == 200
    return {row["guardian"]: row for row in resp.get_json()}
