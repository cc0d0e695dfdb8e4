"""Agenda letters (dagsordener): made from a template per meeting kind, as PDF, and sent to
both custody holders through the outbox, with the consent request where consent is missing.

For a follow-up or closing meeting the letter repeats the last board's "Det vi vil se ske"
and lists the last meeting's agreements, which the meeting opens by going through (done,
not done, carried on), so everyone arrives knowing what was hoped for and agreed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from server.courses.checks import course_meetings
from server.extensions import db
from server.letters import channel
from server.models import (
    Agreement,
    BoardNote,
    Child,
    Consent,
    Course,
    Meeting,
    Participant,
    Task,
    User,
)
from server.models._common import utcnow
from server.parents import guardian_access, sender
from server.reports.pdf import print_context
from server.reports.pdf_kit import making, render_pdf
from server.text import catalogue
from server.text.words import page_words


def compose_agenda(meeting: Meeting, lang: str = "da") -> dict[str, Any]:
    """What the letter says, in ``lang`` (the guardian's: issue 21)."""
    words = catalogue(lang)
    course = db.session.get(Course, meeting.course_id)
    assert course is not None
    child = db.session.get(Child, course.child_id)
    assert child is not None
    meetings = course_meetings(course.id)
    number = next(i for i, m in enumerate(meetings, start=1) if m.id == meeting.id)
    earlier = [m for m in meetings[: number - 1] if m.status == "finished"]
    last_board: list[str] = []
    review: list[tuple[str, str]] = []
    if earlier:
        review = [
            (a.what, words.OWNERS.get(a.owner, ""))
            for a in db.session.scalars(
                select(Agreement)
                .where(Agreement.meeting_id == earlier[-1].id, Agreement.deleted_at.is_(None))
                .order_by(Agreement.created_at, Agreement.id)
            )
        ]
        last_board = list(
            db.session.scalars(
                select(BoardNote.text)
                .where(
                    BoardNote.meeting_id == earlier[-1].id,
                    BoardNote.column == "next_steps",
                    BoardNote.deleted_at.is_(None),
                )
                .order_by(BoardNote.position, BoardNote.created_at)
            )
        )
    # Those planned for this meeting, else those who came to the last one.
    people = _participants(meeting.id) or (_participants(earlier[-1].id) if earlier else [])
    own_points = [line.strip() for line in meeting.agenda.splitlines() if line.strip()]
    return {
        "child": child.first_name,
        "kind": meeting.kind,
        "number": number,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "participants": [(p.name, words.ROLES.get(p.role, "")) for p in people],
        "points": own_points or words.AGENDA_POINTS[meeting.kind],
        "last_board": last_board,
        "review": review,
        "sender": sender.of_course(course.id),
        "lang": lang,
    }


def _participants(meeting_id: str) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(Participant.meeting_id == meeting_id, Participant.deleted_at.is_(None))
            .order_by(Participant.created_at)
        )
    )


def agenda_pdf(agenda: dict[str, Any]) -> bytes:
    """The letter as PDF (documents/agenda.html, the template the parents' letter page shows
    too); a letter that cannot be made is ``DocumentFailed`` (pdf_kit)."""
    with making("agenda letter"):
        lang = agenda.get("lang", "da")
        return render_pdf(
            "documents/agenda.html",
            **{
                **page_words(lang),
                **print_context(agenda["sender"], catalogue(lang).AGENDA["title"], lang),
            },
            agenda=agenda,
        )


def send_agenda(meeting: Meeting, by: User) -> int:
    """Queue the letter for every custody holder the channel reaches (channel.recipients);
    returns how many."""
    course = db.session.get(Course, meeting.course_id)
    assert course is not None
    # Each guardian's letter in their language (issue 21), each language's PDF made once.
    letters: dict[str, tuple[dict[str, Any], bytes]] = {}
    granted = set(
        db.session.scalars(
            select(Consent.guardian_id).where(
                Consent.course_id == course.id,
                Consent.status == "granted",
                Consent.deleted_at.is_(None),
            )
        )
    )
    sent = 0
    for guardian in channel.recipients(course.child_id):
        lang = guardian.language
        if lang not in letters:
            composed = compose_agenda(meeting, lang)
            letters[lang] = (composed, agenda_pdf(composed))
        agenda, pdf = letters[lang]
        words = catalogue(lang)
        kind = words.MEETING_KINDS[meeting.kind]
        body = words.AGENDA["mail_body"].format(
            name=guardian.name,
            kind_lower=kind.lower(),
            child=agenda["child"],
            when=words.when(meeting.starts_at),
            place=f", {meeting.place}" if meeting.place else "",
        )
        link = ""
        if guardian.id not in granted:
            link = guardian_access.issue(guardian, by) + "?to=consent"
            days = current_app.config["INVITATION_DAYS"]
            body += words.AGENDA["mail_consent"].format(
                link=link, expires=words.day(utcnow() + timedelta(days=days))
            )
            _request_consent(course.id, guardian.id)
        elif channel.mode() == "email":
            # The notice says where to read the letter: the parents' pages, signed in.
            link = guardian_access.issue(guardian, by)
        # The signature ("Venlig hilsen", who and how to reach them) after the consent
        # request, never before it.
        signature = sender.signature(agenda["sender"], lang)
        body += words.AGENDA["mail_signoff"].format(signature=signature)
        letter = channel.Letter(
            kind="agenda",
            subject=words.AGENDA["mail_subject"].format(
                kind=kind, child=agenda["child"], when=words.when(meeting.starts_at)
            ),
            body=body,
            link=link,
            document=pdf,
            document_name=file_name(meeting, lang),
            signature=signature,
        )
        message = channel.deliver(guardian, letter, course.id, meeting.id)
        # A Digital Post letter to a guardian without a CPR number is recorded, not sent.
        sent += message.status != "unaddressable"
    for task in db.session.scalars(
        select(Task).where(
            Task.course_id == course.id, Task.kind == "send_agenda", Task.done_at.is_(None)
        )
    ):
        task.done_at = utcnow()
    return sent


def file_name(meeting: Meeting, lang: str = "da") -> str:
    """The letter's file name ("dagsorden-2026-12-04.pdf"), in the guardian's language."""
    return catalogue(lang).AGENDA["file_name"].format(day=f"{meeting.starts_at:%Y-%m-%d}")


def _request_consent(course_id: str, guardian_id: str) -> None:
    """A consent request on record (requested, by e-mail) unless there is one already: an
    earlier answer (declined, withdrawn) stands; the letter tells them where to change it."""
    existing = db.session.scalar(
        select(Consent).where(
            Consent.course_id == course_id,
            Consent.guardian_id == guardian_id,
            Consent.deleted_at.is_(None),
        )
    )
    if existing is None:
        db.session.add(
            Consent(
                course_id=course_id,
                guardian_id=guardian_id,
                status="requested",
                channel="email",
                requested_at=utcnow(),
            )
        )
