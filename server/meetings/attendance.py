"""Who is expected at the start meeting, filled in when the meeting is made (issue 23).

The leader then only ticks who came (offline too); anyone else is added by hand. Later
meetings need nothing here: the tablet carries the last meeting's people over to the next
one when it makes it (pwa/src/data/writes.ts, with ids both tablets derive alike).
"""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.models import Course, Guardian, Meeting, Participant, User
from server.models._common import PARTICIPANT_ROLES


def expected_people(meeting: Meeting, course: Course, user: User) -> None:
    """Add the child's custody holders, the course's leader and the educator to a new start
    meeting, none of them ticked as present. The educator is the one opening the course when
    an educator does; else the educators of the child's institution (a daycare has few, and
    the leader removes nobody: unticked people are simply not "til stede" in the report)."""
    if meeting.kind != "start":
        return
    people: list[tuple[str, str, str | None, str | None]] = []  # name, role, guardian, user
    for guardian in db.session.scalars(
        select(Guardian)
        .where(
            Guardian.child_id == course.child_id,
            Guardian.deleted_at.is_(None),
            Guardian.has_custody.is_(True),
        )
        .order_by(Guardian.created_at, Guardian.id)
    ):
        people.append((guardian.name, "guardian", guardian.id, None))
    leader = db.session.get(User, course.leader_id)
    if leader is not None:
        people.append((leader.name, leader.role, None, leader.id))
    if user.role == "educator":
        educators = [user]
    else:
        educators = list(
            db.session.scalars(
                select(User)
                .where(
                    User.role == "educator",
                    User.active.is_(True),
                    User.institution_id == course.institution_id,
                )
                .order_by(User.name, User.id)
            )
        )
    people += [(e.name, "educator", None, e.id) for e in educators if e.id != course.leader_id]
    for name, role, guardian_id, user_id in people:
        db.session.add(
            Participant(
                meeting_id=meeting.id,
                course_id=course.id,
                name=name,
                role=role if role in PARTICIPANT_ROLES else "other",
                present=False,
                guardian_id=guardian_id,
                user_id=user_id,
            )
        )
