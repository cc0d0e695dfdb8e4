"""A NUL character in a form field (issue 19, finding 6b).

PostgreSQL's text columns refuse NUL: an attachment's title or a parent's comment holding one
was a 500 there (and was stored on SQLite). Every form field is now read as strictly as a
JSON body: the API answers 422 in the one error shape naming the field; the parents' page
says it next to the text. Nothing is stored either way. On SQLite (which would store the
NUL) the same clear refusal is asserted; CI runs this module on PostgreSQL as well.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from server.extensions import db
from server.models import ParentComment
from server.text import da
from tests.documents import plain_pdf
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, form_token, publish
from tests.server.stores import stored_keys
from tests.server.world import created

NUL = "\x00"


def _attach(client: ApiClient, course: str, **form: str) -> Any:
    return client.post(
        f"/api/courses/{course}/attachments",
        data={"file": (io.BytesIO(plain_pdf()), "topi.pdf"), "kind": "topi", **form},
        content_type="multipart/form-data",
    )


def test_a_nul_in_an_attachment_form_field_is_a_422_naming_the_field(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    for form, field in (
        ({"title": f"TOPI{NUL}"}, "title"),
        ({"title": "TOPI", "kind": f"topi{NUL}"}, "kind"),
        ({"title": "TOPI", f"x{NUL}": "1"}, "x\\x00"),
    ):
        resp = _attach(familie, demo["course"], **form)
        assert resp.status_code == 422, (form, resp.status_code, resp.get_data()[:200])
        error = resp.get_json()["error"]
        assert error["code"] == "invalid", error
        assert "NUL" in " ".join(error["fields"][field]), error
    assert familie.get(f"/api/courses/{demo['course']}/attachments").get_json() == []
    assert stored_keys(app) == []
    # The same form without the NUL is accepted: the refusal is the character's.
    assert _attach(familie, demo["course"], title="TOPI").status_code == 201


def test_a_nul_in_a_parents_comment_is_said_on_the_page_and_nothing_is_stored(
    app: Flask, as_user: Any, demo: dict[str, Any], parent_phone: Any
) -> None:
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    mor = parent_phone(demo["children"]["Emma"], "mor")
    page = f"/p/reports/{demo['meeting']}"
    resp = mor.post(
        f"{page}/comments",
        data={"text": f"Tak for{NUL} mødet", "csrf_token": form_token(mor.get(page))},
    )
    assert resp.status_code == 422, (resp.status_code, resp.get_data()[:300])
    html = resp.get_data(as_text=True)
    assert da.STORY["comment_bad_character"].split(" \u2013")[0][:40] in html
    assert "Tak for mødet" in html and NUL not in html  # the text is kept, without the NUL
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ParentComment)) == 0
    resp = mor.post(
        f"{page}/comments", data={"text": "Tak for mødet", "csrf_token": form_token(mor.get(page))}
    )
    assert resp.status_code == 303
