"""A guardian who chose English (issue 21, point 8) gets Digital Post in English: the title and
notification shown before signing in, the cover letter and the agenda letter itself; the
other guardian's stay Danish. Against the local fake of Serviceplatformen, as
test_digital_post.py does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import set_cpr
from server.models import Guardian
from server.text import da, en
from tests.server.courses import follow_up_with_board
from tests.server.reporting import pdf_text
from tests.server.serviceplatformen import FakeServiceplatformen, serviceplatformen, settings

CVR = "29189846"
MOTHER, FATHER = "2103851234", "1507821235"


@pytest.fixture
def fake() -> Iterator[FakeServiceplatformen]:
    with serviceplatformen(CVR) as running:
        yield running


@pytest.fixture
def app_config(
    app_config: dict[str, Any], fake: FakeServiceplatformen, tmp_path: Path
) -> dict[str, Any]:
    return {**app_config, **settings(fake, tmp_path)}


def test_digital_post_to_a_guardian_who_chose_english_is_in_english(
    app: Flask, as_user: Any, demo: dict[str, Any], fake: FakeServiceplatformen
) -> None:
    child = demo["children"]["Emma"]
    with app.app_context():
        for guardian in db.session.scalars(select(Guardian).where(Guardian.child_id == child)):
            set_cpr(guardian, Cpr({"mor": MOTHER, "far": FATHER}[guardian.relation]))
        db.session.execute(
            update(Guardian)
            .where(Guardian.child_id == child, Guardian.relation == "mor")
            .values(language="en")
        )
        db.session.commit()
    familie = as_user("familie")
    follow = follow_up_with_board(familie, demo)
    resp = familie.post(f"/api/meetings/{follow}/agenda/send")
    assert resp.status_code == 200 and resp.get_json() == {"sent": 2}
    resp.close()  # the answer has gone out: now the letters are sent
    by_cpr = {message.recipient: message for message in fake.received}
    mother, father = by_cpr[MOTHER], by_cpr[FATHER]
    assert mother.valid, mother.errors
    assert (mother.title, mother.notification) == (
        en.LETTERS["title"],
        en.LETTERS["notification"],
    )
    assert (father.title, father.notification) == (
        da.LETTERS["title"],
        da.LETTERS["notification"],
    )
    (main_name, main), (cover_name, cover) = mother.documents()
    assert main_name.startswith("agenda-") and cover_name == en.LETTERS["cover_name"]
    assert en.AGENDA["points"] in pdf_text(main) and da.AGENDA["points"] not in pdf_text(main)
    assert pdf_text(cover).startswith("Dear ")
    (main_name, main), (_cover_name, cover) = father.documents()
    assert main_name.startswith("dagsorden-") and da.AGENDA["points"] in pdf_text(main)
    assert pdf_text(cover).startswith("Kære ")
