"""Hostile PDFs as course documents (issue 19, finding 5): whatever is uploaded, the bytes
staff download and the bytes parents download are a rewritten copy in which nothing acts,
walked object by object with pikepdf, and the upload itself is never stored."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pikepdf
from flask import Flask

from server.courses import attachments
from server.extensions import db
from server.models import Attachment
from tests.attack.hostile_pdfs import hostile_pdfs, internal_link_pdf
from tests.documents import what_acts
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, publish
from tests.server.stores import stored_keys
from tests.server.world import created


def _attach(client: ApiClient, course: str, data: bytes, title: str) -> Any:
    return client.post(
        f"/api/courses/{course}/attachments",
        data={
            "file": (io.BytesIO(data), f"{title}.pdf"),
            "title": title,
            "kind": "other",
            "shared_with_guardians": "true",
        },
        content_type="multipart/form-data",
    )


def test_hostile_pdfs_are_served_to_staff_and_parents_with_nothing_that_acts(
    app: Flask, as_user: Any, demo: dict[str, Any], parent_phone: Any
) -> None:
    """The safety property alone: a refusal would also keep it (the next test asks for
    acceptance), but a served copy in which something acts would not."""
    familie = as_user("familie")
    corpus = hostile_pdfs()
    for name, data in corpus.items():
        assert what_acts(data), f"the corpus' {name} acts in no way the walk can see"
    answers = {name: _attach(familie, demo["course"], data, name) for name, data in corpus.items()}
    ids = {name: resp.get_json()["id"] for name, resp in answers.items() if resp.status_code == 201}
    for name, resp in answers.items():
        assert resp.status_code in (201, 422), name
        assert resp.status_code == 201 or resp.get_json()["error"]["code"] == "invalid_file"
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    mor = parent_phone(demo["children"]["Emma"], "mor")
    problems: dict[str, list[str]] = {}
    for name, attachment_id in ids.items():
        staff = familie.get(f"/api/attachments/{attachment_id}/file")
        parent = mor.get(f"/p/attachments/{attachment_id}")
        assert staff.status_code == parent.status_code == 200, name
        assert staff.data == parent.data, name
        with pikepdf.open(io.BytesIO(staff.data)) as pdf:
            assert len(pdf.pages) >= 1, name
        found = what_acts(staff.data)
        if found or staff.data == corpus[name]:
            problems[name] = [*found, *(["served as uploaded"] * (staff.data == corpus[name]))]
    assert problems == {}
    # The uploads themselves were never written anywhere.
    keys = " ".join(stored_keys(app))
    for name, data in corpus.items():
        assert hashlib.sha256(data).hexdigest() not in keys, name


def test_documents_with_active_parts_are_accepted_without_them(
    as_user: Any, demo: dict[str, Any]
) -> None:
    """A municipality's form or a document with links is still attached: what acts is
    removed and nothing else (a filled-in field's value stays on the page)."""
    familie = as_user("familie")
    for name, data in hostile_pdfs().items():
        resp = _attach(familie, demo["course"], data, name)
        assert resp.status_code == 201, (name, resp.get_json())
    form = created(
        _attach(familie, demo["course"], hostile_pdfs()["acroform_submit_button"], "formular")
    )
    served = familie.get(f"/api/attachments/{form['id']}/file").data
    with pikepdf.open(io.BytesIO(served)) as pdf:
        drawn = b"".join(x.read_bytes() for x in pdf.pages[0].obj.Resources.XObject.values())
    assert b"(Emma) Tj" in drawn


def test_a_link_to_another_page_of_the_document_is_kept(as_user: Any, demo: dict[str, Any]) -> None:
    """The rewrite removes what acts, not what a reader uses to move around the document."""
    familie = as_user("familie")
    doc = created(_attach(familie, demo["course"], internal_link_pdf(), "indhold"))
    served = familie.get(f"/api/attachments/{doc['id']}/file").data
    with pikepdf.open(io.BytesIO(served)) as pdf:
        action = pdf.pages[0].obj.Annots[0].A
        assert str(action.S) == "/GoTo"
        assert action.D[0].objgen == pdf.pages[1].obj.objgen


def test_pdfs_that_cannot_be_rewritten_are_refused_with_the_known_code(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    locked = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(locked, encryption=pikepdf.Encryption(owner="ejer", user="kode"))
    no_pages = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.save(no_pages)
    for data, why in (
        (locked.getvalue(), "password"),
        (no_pages.getvalue(), "no pages"),
        (b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n", "not a readable PDF"),
    ):
        resp = _attach(familie, demo["course"], data, "x")
        assert resp.status_code == 422, why
        error = resp.get_json()["error"]
        assert error["code"] == "invalid_file" and error["fields"]["file"] == [error["message"]]
        assert why in error["message"], error
    assert familie.get(f"/api/courses/{demo['course']}/attachments").get_json() == []


def test_pdfs_stored_before_the_rewrite_are_rewritten_by_the_command(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """Documents uploaded before uploads were rewritten were stored as uploaded: ``flask
    documents rewrite-pdfs`` stores them rewritten, and the old files go."""
    familie = as_user("familie")
    corpus = hostile_pdfs()
    ids = {}
    with app.app_context():
        for name, data in corpus.items():  # what the old upload stored: the bytes unchanged
            row = Attachment(
                course_id=demo["course"],
                title=name,
                kind="other",
                filename=f"{name}.pdf",
                content_type="application/pdf",
                size=len(data),
                content_hash=attachments.store(data),
            )
            db.session.add(row)
            db.session.flush()
            ids[name] = row.id
        db.session.commit()
    assert (
        familie.get(f"/api/attachments/{ids['gotor_unc_path']}/file").data
        == corpus["gotor_unc_path"]
    )
    result = app.test_cli_runner().invoke(args=["documents", "rewrite-pdfs"])
    assert result.exit_code == 0, result.output
    assert f"Rewrote {len(corpus)} PDF file(s)" in result.output
    for name, attachment_id in ids.items():
        served = familie.get(f"/api/attachments/{attachment_id}/file")
        assert what_acts(served.data) == [], name
        assert int(served.headers["Content-Length"]) == len(served.data)
    keys = " ".join(stored_keys(app))
    for data in corpus.values():
        assert hashlib.sha256(data).hexdigest() not in keys
