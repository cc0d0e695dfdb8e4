"""Demo data, so a newcomer can sign in and click through at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from server.auth.passwords import hash_password
from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import set_cpr
from server.models import Child, Course, Guardian, Institution, Meeting, Participant, User
from server.models._common import utcnow

# Made-up organisation UUIDs standing for the demo's two daycares: the external ids the
# local identity provider (server/identity/dev_provider.py) sends its educators with.
DEMO_INSTITUTIONS = {
    "Solsikken": "6f1c2a9e-0000-4000-8000-000000000001",
    "Skovbørnehaven": "6f1c2a9e-0000-4000-8000-000000000002",
}

# Test CPR numbers that belong to no one: birth dates in 2055 (parents) and 2057 (children)
# with a 7th digit of 5-8, valid by the CPR office's table but no living person's. The local
# identity provider (server/identity/dev_provider.py) signs the parents in with the same ones.
DEMO_CHILD_CPRS = {
    "Emma Jensen": "150357-5101",
    "Noah Hansen": "020457-5203",
    "Freja Nielsen": "280257-6305",
}
DEMO_GUARDIAN_CPRS = {
    "Mette Jensen": "010155-5001",
    "Lars Jensen": "020255-5002",
    "Sara Hansen": "030355-6003",
    "Ali Hansen": "040455-6004",
    "Ida Nielsen": "050555-7005",
    "Jonas Nielsen": "060655-7006",
}

DEMO_STAFF = (
    ("admin@example.org", "Anna Admin", "admin", None),
    # A second admin: new accounts and changes of access need a second admin's approval.
    ("admin2@example.org", "Bo Admin", "admin", None),
    ("familie@example.org", "Frida Familieindgang", "family_unit", None),
    ("paedagog@example.org", "Peter Pædagog", "educator", "Solsikken"),
    ("paedagog2@example.org", "Pia Pædagog", "educator", "Skovbørnehaven"),
    ("ppr@example.org", "Poul PPR", "psychologist", None),
)


# How parents reach the demo's course leader (issue 21): shown on every page, letter and PDF.
DEMO_CONTACT = {
    "familie@example.org": {
        "work_phone": "70 10 20 31",
        "work_email": "frida.familieindgang@trivsby.kommune.example",
    },
}


@dataclass
class DemoResult:
    """What the demo command did, for printing."""

    created: bool
    password: str | None
    logins: tuple[tuple[str, str], ...]


def load_demo(password: str | None) -> DemoResult:
    """Fill an empty database with demo data; on a non-empty one, change nothing.

    The demo's accounts are made here, not through the API, so they are approved already
    (like accounts an operator makes on the server) and share one known password."""
    logins = tuple((email, role) for email, _, role, _ in DEMO_STAFF)
    if db.session.scalar(select(func.count()).select_from(User)):
        return _kept(password, logins)
    password = password or secrets.token_urlsafe(9)
    hashed = hash_password(password)
    # Their external ids are the local identity provider's (server/identity/dev_provider.py),
    # so the demo's educators signing in through it land in their daycare.
    institutions = {
        name: Institution(name=name, kind="daycare", external_id=DEMO_INSTITUTIONS[name])
        for name in ("Solsikken", "Skovbørnehaven")
    }
    db.session.add_all(institutions.values())
    db.session.flush()
    users = {}
    for email, name, role, inst in DEMO_STAFF:
        users[email] = User(
            email=email,
            name=name,
            role=role,
            password_hash=hashed,
            institution_id=institutions[inst].id if inst else None,
            approved_at=utcnow(),
            **DEMO_CONTACT.get(email, {}),
        )
    db.session.add_all(users.values())
    db.session.flush()
    _children(institutions, users)
    db.session.commit()
    return DemoResult(created=True, password=password, logins=logins)


def _kept(password: str | None, logins: tuple[tuple[str, str], ...]) -> DemoResult:
    """A database with data: change nothing, except give the demo's own accounts their
    password back where migration 0013 cleared it (every password an admin had chosen)."""
    _demo_cprs()
    emails = [email for email, _ in logins]
    bare = list(
        db.session.scalars(
            select(User).where(func.lower(User.email).in_(emails), User.password_hash == "")
        )
    )
    if bare:
        password = password or secrets.token_urlsafe(9)
        hashed = hash_password(password)
        for user in bare:
            user.password_hash = hashed
    db.session.commit()
    return DemoResult(created=False, password=password, logins=logins)


def _demo_cprs() -> None:
    """Give the demo's children and guardians made before CPR numbers existed their test
    numbers (by name, only where none is set), so their parents can sign in with MitID."""
    for child in db.session.scalars(select(Child).where(Child.cpr_lookup.is_(None))):
        number = DEMO_CHILD_CPRS.get(f"{child.first_name} {child.last_name}")
        if number:
            set_cpr(child, Cpr(number))
    for guardian in db.session.scalars(select(Guardian).where(Guardian.cpr_lookup.is_(None))):
        number = DEMO_GUARDIAN_CPRS.get(guardian.name)
        if number:
            set_cpr(guardian, Cpr(number))


def _children(institutions: dict[str, Institution], users: dict[str, User]) -> None:
    sol, skov = institutions["Solsikken"], institutions["Skovbørnehaven"]
    emma = _child("Emma", "Jensen", sol, ("Mette Jensen", "mor"), ("Lars Jensen", "far"))
    _child("Noah", "Hansen", sol, ("Sara Hansen", "mor"), ("Ali Hansen", "far"))
    _child("Freja", "Nielsen", skov, ("Ida Nielsen", "mor"), ("Jonas Nielsen", "far"))
    db.session.flush()
    leader = users["familie@example.org"]
    today = utcnow().replace(minute=0, second=0, microsecond=0)
    course = Course(
        child_id=emma.id,
        institution_id=sol.id,
        leader_id=leader.id,
        concern_level="moderate",
        start_date=today.date(),
        reason="Emma trækker sig fra legen og er ofte ked af det ved aflevering.",
    )
    db.session.add(course)
    db.session.flush()
    meeting = Meeting(
        course_id=course.id,
        kind="start",
        starts_at=_at(today, 14),
        place="Solsikken, mødelokalet",
        agenda="Velkomst og præsentation\nBekymringen\nDet der fungerer\nAftaler og næste møde",
    )
    db.session.add(meeting)
    db.session.flush()
    guardians = db.session.scalars(select(Guardian).where(Guardian.child_id == emma.id))
    people: list[tuple[str, str, str | None, str | None]] = [
        (g.name, "guardian", None, g.id) for g in guardians
    ]
    people += [
        (leader.name, "family_unit", leader.id, None),
        (users["paedagog@example.org"].name, "educator", users["paedagog@example.org"].id, None),
    ]
    for name, role, user_id, guardian_id in people:
        db.session.add(
            Participant(
                meeting_id=meeting.id,
                course_id=course.id,
                name=name,
                role=role,
                user_id=user_id,
                guardian_id=guardian_id,
            )
        )


def _child(first: str, last: str, inst: Institution, *guardians: tuple[str, str]) -> Child:
    child = Child(first_name=first, last_name=last, institution_id=inst.id)
    set_cpr(child, Cpr(DEMO_CHILD_CPRS[f"{first} {last}"]))
    db.session.add(child)
    db.session.flush()
    for name, relation in guardians:
        email = name.split()[0].lower() + "@example.net"
        guardian = Guardian(
            child_id=child.id, name=name, relation=relation, email=email, has_custody=True
        )
        set_cpr(guardian, Cpr(DEMO_GUARDIAN_CPRS[name]))
        db.session.add(guardian)
    return child


def _at(day: datetime, hour: int) -> datetime:
    """That hour today if it is still to come, else within the next hour — but today."""
    if day.hour < hour:
        return day.replace(hour=hour)
    return min(day + timedelta(hours=1), day.replace(hour=23, minute=30))
