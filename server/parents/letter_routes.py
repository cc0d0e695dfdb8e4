"""The letters a guardian was sent, read on the parents' pages (/p/letters): where the e-mail
notice (LETTERS=email) sends them, since the e-mail itself carries neither the letter nor
the child's name. The letter is made afresh from the meeting, as staff see it
(/api/meetings/<id>/agenda.pdf), for as long as the course is open.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select

from server import audit
from server.extensions import db
from server.letters.agenda import agenda_pdf, compose_agenda, file_name
from server.models import Course, Meeting, OutboundMessage
from server.parents import guardian_access, language
from server.parents.language import text as tr

# Nested in the parents' blueprint (server/blueprints.py): its refusals and hooks apply.
bp = Blueprint("letters", __name__)


def _agenda_letters() -> list[tuple[Meeting, str]]:
    """(meeting, guardian id) of each agenda letter sent to this phone's guardians, for
    meetings of open courses, newest meeting first."""
    reader = guardian_access.required_reader()
    rows = db.session.execute(
        select(Meeting, OutboundMessage.guardian_id)
        .join(OutboundMessage, OutboundMessage.meeting_id == Meeting.id)
        .join(Course, Course.id == Meeting.course_id)
        .where(
            OutboundMessage.kind == "agenda",
            OutboundMessage.guardian_id.in_([g.id for g in reader.guardians]),
            Meeting.deleted_at.is_(None),
            Course.deleted_at.is_(None),
            Course.status.in_(("active", "awaiting_counsellor")),
        )
        .order_by(Meeting.starts_at.desc())
    ).all()
    seen: dict[str, tuple[Meeting, str]] = {}
    for meeting, guardian_id in rows:
        seen.setdefault(meeting.id, (meeting, str(guardian_id)))
    return list(seen.values())


@bp.get("/letters")
def letters_page() -> str:
    rows = _agenda_letters()
    page = render_template("parent/letters.html", t=tr().T, lt=tr().LETTER_PAGE, rows=rows)
    guardian_access.touch_sessions()
    db.session.commit()
    return page


@bp.get("/letters/<meeting_id>")
def agenda_letter_page(meeting_id: str) -> str:
    """An agenda letter this phone's guardian was sent, as a page: the PDF's own template
    (documents/agenda_body.html), so the two say the same (the same 404 otherwise)."""
    meeting, guardian_id = _sent(meeting_id)
    agenda = compose_agenda(meeting, language.current())
    page = render_template(
        "parent/letter.html",
        lt=tr().LETTER_PAGE,
        agenda=agenda,
        meeting=meeting,
        sender=agenda["sender"],
        print=False,
    )
    _read(meeting, guardian_id)
    return page


@bp.get("/letters/<meeting_id>.pdf")
def agenda_letter(meeting_id: str) -> Response:
    """An agenda letter this phone's guardian was sent, as PDF (the same 404 otherwise)."""
    meeting, guardian_id = _sent(meeting_id)
    lang = language.current()
    pdf = agenda_pdf(compose_agenda(meeting, lang))
    _read(meeting, guardian_id)
    resp = Response(pdf, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="{file_name(meeting, lang)}"'
    return resp


def _sent(meeting_id: str) -> tuple[Meeting, str]:
    """The meeting of a letter this phone's guardians were sent, and to whom; else 404."""
    found = next(((m, gid) for m, gid in _agenda_letters() if m.id == meeting_id), None)
    if found is None:
        abort(404)
    return found


def _read(meeting: Meeting, guardian_id: str) -> None:
    """The guardian's reading of the letter, in the audit log they read at /p/access."""
    reader = guardian_access.current_reader()
    guardian = next(g for g in reader.guardians if g.id == guardian_id)
    audit.record_guardian(
        guardian.id,
        guardian_access.actor_name(guardian),
        "read",
        "agenda",
        meeting.id,
        guardian.child_id,
    )
    guardian_access.touch_sessions()
    db.session.commit()
