"""Guardians give, decline or withdraw consent from their phone session (/p/consent).

The page says what a consent covers: what is shared with whom, how long it is kept, how to
withdraw it and where to complain (issue 21). Withdrawing asks once before it happens: the
page's button ("ask") answers with a page that asks, whose button sends the withdrawal. Plain
forms, so it works without JavaScript.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from server import audit
from server.extensions import db
from server.models import Child, Consent, Course
from server.models._common import utcnow
from server.parents import guardian_access, sender
from server.parents.language import text as tr
from server.records.form_input import checked_form

# Nested in the parents' blueprint (server/blueprints.py): its refusals and hooks apply.
bp = Blueprint("consent", __name__)

# The answer a button gives: the new status and the date column it sets.
ANSWERS = {
    "grant": ("granted", "granted_at"),
    "decline": ("declined", "declined_at"),
    "withdraw": ("withdrawn", "withdrawn_at"),
}


def _consents() -> list[tuple[Consent, Child]]:
    reader = guardian_access.required_reader()
    rows = db.session.execute(
        select(Consent, Child)
        .join(Course, Course.id == Consent.course_id)
        .join(Child, Child.id == Course.child_id)
        .where(
            Consent.guardian_id.in_([g.id for g in reader.guardians]),
            Consent.deleted_at.is_(None),
            Course.deleted_at.is_(None),
            Course.status.in_(("active", "awaiting_counsellor")),
        )
        .order_by(Consent.created_at)
    ).all()
    return [(consent, child) for consent, child in rows]


@bp.get("/consent")
def consent_page() -> str:
    """The guardian's consents, what each covers, and a button to answer."""
    rows = _consents()
    page = render_template(
        "parent/consent.html",
        t=tr().T,
        da=tr(),
        rows=rows,
        saved=request.args.get("saved") == "1",
        years=max(1, round(current_app.config["RETENTION_DAYS"] / 365)),
        sender=sender.of_one_course({c.course_id for c, _child in rows}),
    )
    guardian_access.touch_sessions()
    db.session.commit()
    return page


@bp.post("/consent/<consent_id>")
def answer(consent_id: str) -> WerkzeugResponse | str:
    """Record the guardian's answer; the tablets learn it through sync. "ask" (the consent
    page's withdraw button) only asks whether to withdraw, and changes nothing."""
    answer_ = checked_form()[0].get("answer", "")
    choice = ANSWERS.get(answer_)
    found = next(((c, child) for c, child in _consents() if c.id == consent_id), None)
    if found is None or (choice is None and answer_ != "ask"):
        abort(404)
    consent, child = found
    if choice is None:
        if consent.status != "granted":
            abort(404)
        page = render_template(
            "parent/consent_withdraw.html", t=tr().T, consent=consent, child=child
        )
        guardian_access.touch_sessions()
        db.session.commit()
        return page
    status, column = choice
    if status == "withdrawn" and consent.status != "granted":
        abort(404)  # only a given consent can be withdrawn
    consent.status = status
    setattr(consent, column, utcnow())
    consent.channel = "phone"
    guardian = next(
        g for g in guardian_access.current_reader().guardians if g.id == consent.guardian_id
    )
    audit.record_guardian(
        guardian.id, guardian_access.actor_name(guardian), "update", "consent", consent.id, child.id
    )
    db.session.commit()
    return redirect("/p/consent?saved=1", code=303)
