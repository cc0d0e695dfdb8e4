"""Who sends what parents read, and whom they call (issue 21): the municipality (its
MUNICIPALITY_* settings) and the course's leader with their work phone and e-mail.

Every parents' page shows it in the shared layout (``parent/base.html``), and the agenda
letter, the report PDF and the e-mails sign with it. A published report keeps the sender it
was published with (in its snapshot, ``reports/compose.py``), so the page, the parents' PDF
and the filed PDF of one version say the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, send_file
from sqlalchemy import select

from server.extensions import db
from server.models import Course, User
from server.text import catalogue

# Nested in the parents' blueprint (server/blueprints.py): its hooks apply, so a phone keeps
# the logo for offline reading like the pages that show it.
bp = Blueprint("sender", __name__)
LOGO_PATH = "/p/logo"


def municipality() -> dict[str, str]:
    """The municipality as the pages show it: name, address, phone, logo's address on this
    site ('' when there is none) and the page on how it handles personal data."""
    config = current_app.config
    logo = str(config["MUNICIPALITY_LOGO"])
    return {
        "name": str(config["MUNICIPALITY_NAME"]),
        "address": str(config["MUNICIPALITY_ADDRESS"]),
        "phone": str(config["MUNICIPALITY_PHONE"]),
        "logo": LOGO_PATH if logo and Path(logo).is_file() else logo,
        "privacy_url": str(config["MUNICIPALITY_PRIVACY_URL"]),
    }


def leader(course_id: str) -> dict[str, str] | None:
    """The course leader's name, work phone and work e-mail (None for no such course)."""
    row = db.session.execute(
        select(User.name, User.work_phone, User.work_email)
        .join(Course, Course.leader_id == User.id)
        .where(Course.id == course_id)
    ).one_or_none()
    if row is None:
        return None
    name, phone, email = row
    return {"name": name, "phone": phone, "email": email}


def of_course(course_id: str | None) -> dict[str, Any]:
    """The sender of a page, letter or PDF about a course (JSON-ready: it is kept in a
    report's snapshot); without a course, the municipality alone."""
    return {
        "municipality": municipality(),
        "leader": leader(course_id) if course_id else None,
    }


def newest_course(child_id: str) -> str | None:
    """The child's newest live course (whose leader a link without a course names)."""
    return db.session.scalar(
        select(Course.id)
        .where(Course.child_id == child_id, Course.deleted_at.is_(None))
        .order_by(Course.start_date.desc(), Course.created_at.desc())
        .limit(1)
    )


def of_one_course(course_ids: set[str]) -> dict[str, Any] | None:
    """The sender of a page about these courses: the course's when it is one, else None
    (the layout then names the municipality alone)."""
    return of_course(next(iter(course_ids))) if len(course_ids) == 1 else None


def of_report(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The sender a published version was published with; one published before senders were
    kept gets today's."""
    kept = snapshot.get("sender")
    return dict(kept) if kept else of_course(snapshot.get("course_id"))


def signature(sender: dict[str, Any], lang: str = "da") -> str:
    """The end of every e-mail to parents, in the guardian's language: who writes, how to
    reach them, and where to read how the municipality handles their data."""
    town, words = sender["municipality"], catalogue(lang).SENDER
    lines = [words["mail_regards"]]
    person = sender.get("leader")
    if person:
        lines.append(person["name"])
    lines.append(words["unit"].format(municipality=town["name"]).strip(", "))
    lines += contact_lines(sender, lang)
    if town["privacy_url"]:
        lines += ["", words["privacy_mail"].format(url=town["privacy_url"])]
    return "\n".join(lines)


def contact_lines(sender: dict[str, Any], lang: str = "da") -> list[str]:
    """How to reach the leader (when known) and the municipality, one line each: for e-mails
    and the PDFs, where the pages use the layout's footer."""
    town, person, s = sender["municipality"], sender.get("leader"), catalogue(lang).SENDER
    lines = []
    if person and (person["phone"] or person["email"]):
        reach = " · ".join(
            part
            for part in (
                s["phone"].format(phone=person["phone"]) if person["phone"] else "",
                s["email"].format(email=person["email"]) if person["email"] else "",
            )
            if part
        )
        lines.append(s["leader_line"].format(name=person["name"], reach=reach))
    if town["name"]:
        general = s["phone"].format(phone=town["phone"]) if town["phone"] else ""
        lines.append(", ".join(part for part in (town["name"], town["address"], general) if part))
    return lines


@bp.app_context_processor
def _layout() -> dict[str, Any]:
    """What the parents' layout needs on every page, whatever the view passed: the
    municipality as set now (the sender's words and the explained words, in the page's
    language, come from server/parents/language.py)."""
    return {"municipality": municipality()}


@bp.get("/logo")
def logo() -> Response:
    """The municipality's logo file (MUNICIPALITY_LOGO), served from this server."""
    path = Path(str(current_app.config["MUNICIPALITY_LOGO"]))
    if not path.is_file():
        abort(404)
    return send_file(path.resolve())
