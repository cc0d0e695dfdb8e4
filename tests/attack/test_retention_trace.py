"""Deletion leaves nothing (issue 19, finding 2): after ``flask retention``, with the clock past
the limits, no column of any table and no stored file holds anything of a course, its child
or the child's guardians.

A child is registered with a marker in every free text a person types: names, e-mail
addresses, the course's reason, places, agendas, board notes, agreements, minutes,
participants, a task, a photo's caption, the child's perspective, a document uploaded (its
title, file name and the text on its page), a published report, the parents' comment on it,
the filing, the agenda letters sent to the parents (with their PDF), a value that lost to a
concurrent edit of a guardian. Then the run, at a clock moved past ``RETENTION_DAYS`` and
then past ``AUDIT_RETENTION_DAYS``, and the search: every text, JSON and binary column of
every table (read from the metadata), every file under the photo, document and filing
folders; a PDF is searched by its extracted text and metadata (its page text is
compressed), a zip by its members (and the PDFs in it), as well as by its raw bytes.
"""

from __future__ import annotations

import gzip
import io
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import (
    JSON,
    LargeBinary,
    String,
    Text,
    Unicode,
    UnicodeText,
    cast,
    func,
    select,
    update,
)
from weasyprint import HTML

from server.extensions import db
from server.models import AuditEntry
from sync.types import UtcDateTime
from tests.attack.doors import Door
from tests.harness import ApiClient
from tests.harness.children import new_child
from tests.server.reporting import form_token, invitation_links, phone, publish, upload
from tests.server.syncclient import Device
from tests.server.world import created
from tests.sync.images import photo, sha

TOKEN = f"Tracer{uuid.uuid4().hex[:10]}"  # ASCII: JSON columns may store text escaped
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=60)


def mark(label: str) -> str:
    return f"{TOKEN}{label}"


def iso(moment: datetime) -> str:
    return moment.isoformat()


def page_pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` on its page (compressed, as most PDFs are)."""
    pdf = HTML(string=f"<p>{escape(text)}</p>").write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def finish(client: ApiClient, meeting_id: str, **fields: Any) -> None:
    resp = client.patch(
        f"/api/meetings/{meeting_id}",
        {"status": "finished", "child_participation": "whole", **fields},
    )
    assert resp.status_code == 200, resp.get_json()


# The guardians' CPR numbers through the provider (test numbers no demo parent has), and the
# mother's subject at the MitID broker.
MITID_CPRS = {"mor": "1503556011", "far": "1503556012"}
MITID_MOR = "mitid-retention-mor"


def _course_with_markers(
    app: Flask, as_user: Any, demo: dict[str, Any], way_in: Door
) -> dict[str, Any]:
    """A child, two guardians and a closed course holding ``TOKEN`` in every free text.
    Through the provider the guardians carry CPR numbers (test numbers, born 2055) and the
    mother reads with MitID."""
    familie: ApiClient = as_user("familie")
    paedagog: ApiClient = as_user("paedagog")
    child = created(
        familie.post(
            "/api/children",
            new_child(mark("first"), mark("last"), demo["institutions"]["Solsikken"]),
        )
    )["id"]
    guardians = [
        created(
            familie.post(
                "/api/guardians",
                {
                    "child_id": child,
                    "name": mark(f"name{relation}"),
                    "relation": relation,
                    "email": f"{mark(relation).lower()}@example.net",
                    "phone": "12345678",
                },
            )
        )["id"]
        for relation in ("mor", "far")
    ]
    course = created(
        paedagog.post(
            "/api/courses",
            {
                "child_id": child,
                "leader_id": demo["users"]["familie"],
                "concern_level": "moderate",
                "reason": mark("reason"),
                "start_date": T0.date().isoformat(),
            },
        )
    )["id"]
    start = created(
        familie.post(
            "/api/meetings",
            {
                "course_id": course,
                "kind": "start",
                "starts_at": iso(T0),
                "place": mark("place1"),
                "agenda": mark("agenda"),
            },
        )
    )["id"]
    for plural, body in (
        ("notes", {"column": "next_steps", "text": mark("nextsteps")}),
        ("notes", {"column": "worries", "text": mark("worry")}),
        ("agreements", {"what": mark("agreement"), "owner": "guardians"}),
        ("minutes", {"text": mark("minutes")}),
        ("participants", {"name": mark("participant"), "role": "other"}),
    ):
        created(familie.post(f"/api/{plural}", {"meeting_id": start, **body}))
    created(
        familie.post(
            "/api/tasks", {"course_id": course, "title": mark("task"), "assignee_role": "educator"}
        )
    )
    image = photo(seed=31, with_gps=False)
    upload(familie, image)
    created(
        familie.post(
            "/api/photos",
            {
                "meeting_id": start,
                "content_hash": sha(image),
                "size": len(image),
                "caption": mark("caption"),
            },
        )
    )
    created(
        familie.post(
            f"/api/courses/{course}/attachments",
            data={
                "file": (io.BytesIO(page_pdf(mark("documentpage"))), f"{mark('file')}.pdf"),
                "title": mark("doctitle"),
                "kind": "topi",
            },
            content_type="multipart/form-data",
        )
    )
    # A value that loses to a concurrent edit of a guardian (kept as a conflict).
    a, b = Device(familie), Device(paedagog)
    a.pull()
    b.pull()
    b.now_ms += 5_000
    a.upsert("guardian", guardians[0], name=mark("lostname"))
    b.upsert("guardian", guardians[0], name=mark("wonname"))
    b.push()
    assert sum(len(r["conflicts"]) for r in a.push()) == 1
    # The meeting ends; its report goes to the parents, who read it and comment on it.
    finish(
        familie,
        start,
        child_participation="part",
        child_perspective=mark("perspective"),
        next_meeting_at=iso(T0 + timedelta(days=30)),
    )
    created(publish(familie, start))
    if way_in.provider:
        for guardian, relation in zip(guardians, ("mor", "far"), strict=True):
            cpr = familie.put(f"/api/guardians/{guardian}/cpr", {"cpr": MITID_CPRS[relation]})
            assert cpr.status_code == 200, cpr.get_json()
        way_in.enrol_parent(MITID_MOR, MITID_CPRS["mor"])
        mor = way_in.parent(app, MITID_MOR)
    else:
        mor = phone(app, invitation_links(app, child)["mor"])
    page = f"/p/reports/{start}"
    resp = mor.post(
        page + "/comments", data={"text": mark("comment"), "csrf_token": form_token(mor.get(page))}
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)
    created(familie.post("/api/filings", {"meeting_id": start}))
    # A general invitation to the parents' pages (about no course).
    assert familie.post(f"/api/guardians/{guardians[1]}/invitations").status_code == 201
    # The closing meeting's agenda letter: the last board's next steps, the agreements,
    # who comes and where, with a consent request in the mail.
    closing = created(
        familie.post(
            "/api/meetings",
            {
                "course_id": course,
                "kind": "closing",
                "starts_at": iso(T0 + timedelta(days=30)),
                "place": mark("place2"),
            },
        )
    )["id"]
    resp = familie.post(f"/api/meetings/{closing}/agenda/send")
    assert resp.status_code == 200 and resp.get_json() == {"sent": 2}, resp.get_json()
    finish(familie, closing)
    return {"child": child, "guardians": guardians, "course": course}


# --- the search ---------------------------------------------------------------------------


def texts_in(data: bytes) -> Iterator[str]:
    """What a person could read out of stored bytes: the bytes themselves, a PDF's text and
    metadata, a zip's names and members, a gzip's content (each searched the same way)."""
    yield data.decode("latin-1")
    if data.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(data))
        for pdf_page in reader.pages:
            yield pdf_page.extract_text()
        yield repr(dict(reader.metadata or {}))
    elif data.startswith(b"\x1f\x8b"):
        yield from texts_in(gzip.decompress(data))
    elif zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                yield name
                yield from texts_in(archive.read(name))


def holds(data: bytes, token: str) -> bool:
    wanted = token.lower()
    # Without white space as well: a PDF's text may come out with a line or a space inside.
    return any(
        wanted in text.lower() or wanted in "".join(text.split()).lower() for text in texts_in(data)
    )


def columns_holding(token: str) -> list[str]:
    """``table.column`` of every text, JSON and binary column holding ``token`` anywhere."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, LargeBinary):
                values = db.session.scalars(select(column).where(column.is_not(None)))
                if any(holds(bytes(v), token) for v in values):
                    found.append(f"{table.name}.{column.name}")
            elif isinstance(column.type, String | Text | Unicode | UnicodeText | JSON):
                hit = db.session.scalar(
                    select(func.count()).where(
                        func.lower(cast(column, Text)).contains(token.lower())
                    )
                )
                if hit:
                    found.append(f"{table.name}.{column.name}")
    return found


def stored_files(app: Flask) -> list[Path]:
    folders = {Path(app.config[name]) for name in ("BLOB_DIR", "ATTACHMENT_DIR", "FILING_DIR")}
    return sorted(
        p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()
    )


def files_holding(app: Flask, token: str) -> list[str]:
    return [
        str(p)
        for p in stored_files(app)
        if token.lower() in str(p).lower() or holds(p.read_bytes(), token)
    ]


def rows_naming(ids: list[str]) -> list[str]:
    """``table.column`` of every column that refers to a record (a key, a scope, a record
    id) and names one of ``ids``; audit entries aside, and the conflicts, which stay as
    deleted records without their values until their author's devices have learnt it."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not (
                column.foreign_keys
                or column.name in ("course_id", "child_id", "guardian_id", "record_id", "scope")
            ):
                continue
            if db.session.scalar(
                select(func.count()).where(cast(column, Text).in_(ids))
            ) and table.name not in ("audit_entry", "sync_conflict"):
                found.append(f"{table.name}.{column.name}")
    return found


def test_retention_leaves_nothing_of_a_course_its_child_or_its_guardians(
    app: Flask, as_user: Any, demo: dict[str, Any], way_in: Door
) -> None:
    world = _course_with_markers(app, as_user, demo, way_in)
    ids = [world["child"], world["course"], *world["guardians"]]
    with app.app_context():
        before = set(columns_holding(TOKEN))
        # The search sees every way the texts are kept (or it proves nothing).
        assert {
            "child.first_name",
            "guardian.name",
            "guardian.email",
            "course.reason",
            "meeting.place",
            "board_note.text",
            "parent_comment.text",
            "sync_conflict.value",
            "outbound_message.body",
            "outbound_message.attachment",
            "attachment.title",
            "report.snapshot",
            "audit_entry.actor_name",
        } <= before, sorted(before)
    files = files_holding(app, TOKEN)
    assert any(f.endswith(".zip") for f in files), files  # the filing, with its PDF
    assert any("attachments" in f for f in files), files  # the uploaded document's page
    days = int(app.config["RETENTION_DAYS"])
    audit_days = int(app.config["AUDIT_RETENTION_DAYS"])
    assert audit_days > days

    # Past RETENTION_DAYS: the course, the child and its guardians go, with every file.
    result = flask_retention(app, days + 1)
    with app.app_context():
        # The audit log stays (it names who acted, a guardian by name, and no content) ...
        left = columns_holding(TOKEN)
        assert left == ["audit_entry.actor_name"], left
    left = files_holding(app, TOKEN)
    assert left == [], left
    with app.app_context():
        left = rows_naming(ids)
        assert left == [], left
    assert f"deleted course {world['course']}" in result, result
    assert f"deleted child {world['child']}" in result, result

    # ... until AUDIT_RETENTION_DAYS have passed since its entries were written; the entries
    # of the deletions themselves stay as long from theirs.
    flask_retention(app, audit_days - days)
    with app.app_context():
        assert columns_holding(TOKEN) == []
        entries = db.session.execute(
            select(AuditEntry.action, AuditEntry.entity)
            .where(AuditEntry.child_id == world["child"])
            .order_by(AuditEntry.entity)
        ).all()
        assert [tuple(row) for row in entries] == [("delete", "child"), ("delete", "course")]
    assert files_holding(app, TOKEN) == []


def flask_retention(app: Flask, days_later: int, *options: str) -> str:
    """``flask retention`` run ``days_later`` days from now, as an operator or the jobs
    worker would run it."""
    time_passes(app, days_later)
    result = app.test_cli_runner().invoke(args=["retention", *options])
    assert result.exit_code == 0, result.output
    return str(result.output)


def time_passes(app: Flask, days: int) -> None:
    """Every stored time in every table moves ``days`` days back: to the app, as if the
    clock had moved on (a command's clock cannot be moved without replacing it)."""
    with app.app_context():
        for table in db.metadata.sorted_tables:
            times = [c for c in table.columns if isinstance(c.type, UtcDateTime)]
            if not times:
                continue
            key = list(table.primary_key.columns)
            for row in db.session.execute(select(*key, *times)).all():
                values = {
                    c.name: v - timedelta(days=days)
                    for c, v in zip(times, row[len(key) :], strict=True)
                    if v is not None
                }
                if values:
                    db.session.execute(
                        update(table)
                        .where(*(c == v for c, v in zip(key, row[: len(key)], strict=True)))
                        .values(**values)
                    )
        db.session.commit()


def test_a_dry_run_names_what_would_go_and_deletes_nothing(
    app: Flask, as_user: Any, demo: dict[str, Any], way_in: Door
) -> None:
    world = _course_with_markers(app, as_user, demo, way_in)
    with app.app_context():
        before = columns_holding(TOKEN)
    files = files_holding(app, TOKEN)
    days = int(app.config["RETENTION_DAYS"])
    output = flask_retention(app, days + 1, "--dry-run")
    for line in (
        f"would delete course {world['course']}",
        f"would delete child {world['child']}",
        "row(s) of outbound_message",
        "row(s) of guardian",
        "row(s) of guardian_session",
        "row(s) of meeting",
    ):
        assert line in output, output
    assert "of audit_entry" not in output, output
    output = flask_retention(app, int(app.config["AUDIT_RETENTION_DAYS"]) - days, "--dry-run")
    assert "row(s) of audit_entry" in output, output
    with app.app_context():
        assert columns_holding(TOKEN) == before
    assert files_holding(app, TOKEN) == files


def test_every_table_naming_a_course_child_or_guardian_is_deleted_by_retention() -> None:
    """The class: a table that refers to a course, a child or a guardian — by a foreign key,
    through another such table, or by a column that names one without a key — is reached by
    retention's walk of the foreign keys, or handled by hand (``BY_HAND``)."""
    from server.courses.retention import BY_HAND, ROOTS, hanging_on

    reached = {
        table.name
        for table, _ in hanging_on(
            {root: db.metadata.tables[root].c.id.is_(None) for root in ROOTS}
        )
    }
    refers = {
        table.name
        for table in db.metadata.sorted_tables
        if table.name in reached
        or any(
            column.name in ("course_id", "child_id", "guardian_id", "scope")
            for column in table.columns
        )
    }
    assert {
        "outbound_message",
        "guardian",
        "guardian_session",
        "guardian_invitation",
        "meeting",
        "report_page",
        "course_member",
    } <= reached
    assert refers - reached - set(BY_HAND) == set()
    assert set(BY_HAND) <= {t.name for t in db.metadata.sorted_tables}


def test_a_course_deleted_by_staff_goes_too(app: Flask, as_user: Any, demo: dict[str, Any]) -> None:
    """A course deleted while open is never closed: it went nowhere before (its rows and
    texts stayed for ever); it goes ``RETENTION_DAYS`` after its deletion."""
    paedagog: ApiClient = as_user("paedagog")
    course = created(
        paedagog.post(
            "/api/courses",
            {
                "child_id": demo["children"]["Noah"],
                "leader_id": demo["users"]["familie"],
                "concern_level": "moderate",
                "reason": mark("deleted-course"),
                "start_date": T0.date().isoformat(),
            },
        )
    )["id"]
    assert as_user("familie").delete(f"/api/courses/{course}").status_code == 204
    output = flask_retention(app, int(app.config["RETENTION_DAYS"]) + 1)
    assert f"deleted course {course}" in output, output
    with app.app_context():
        assert columns_holding(TOKEN) == []
