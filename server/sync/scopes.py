"""Which sync scopes a user may read: the server's access rules (server/access.py), as scopes."""

from __future__ import annotations

from sqlalchemy import select

from server.access import live_course_clause, remember_child_of_course
from server.extensions import db
from server.models import Course, User


def readable_scopes(user: User) -> frozenset[str]:
    """``course:<id>`` for every live course the user may read (the rule every record of a
    course follows), ``child:<id>`` for its child, and ``user:<id>`` for the user's own
    conflicts."""
    rows = db.session.execute(select(Course.id, Course.child_id).where(live_course_clause(user)))
    scopes: set[str] = {f"user:{user.id}"}  # the user's own conflicts
    for course_id, child_id in rows:
        remember_child_of_course(course_id, child_id)  # the pull's audit entries ask it
        scopes.add(f"course:{course_id}")
        scopes.add(f"child:{child_id}")
    return frozenset(scopes)
