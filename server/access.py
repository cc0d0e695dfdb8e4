"""Who may see which child's data: the one place the access rules live.

Rules (issue "Foundation"): admins manage users and institutions and see no child data;
family-unit staff see the courses they lead or are added to; educators see the courses of
children in their own institution; psychologists see courses they are added to. A record the
caller may not see is answered 404, exactly like one that does not exist.
"""

from __future__ import annotations

from typing import TypeVar

from flask import g, has_request_context
from sqlalchemy import ColumnElement, false, or_, select

from server.errors import ApiError
from server.extensions import db
from server.models import Child, Course, CourseMember, User

T = TypeVar("T")

COURSE_ROLES = ("family_unit", "educator", "psychologist")
COURSE_WRITER_ROLES = ("family_unit", "educator")


def course_clause(user: User) -> ColumnElement[bool]:
    """SQL condition on Course selecting exactly the courses this user may read."""
    member = select(CourseMember.course_id).where(CourseMember.user_id == user.id)
    if user.role == "family_unit":
        return or_(Course.leader_id == user.id, Course.id.in_(member))
    if user.role == "educator" and user.institution_id:
        return Course.institution_id == user.institution_id
    if user.role == "psychologist":
        return Course.id.in_(member)
    return false()


def child_clause(user: User) -> ColumnElement[bool]:
    """SQL condition on Child: children of readable courses, of the educator's institution,
    or registered by this user (the family unit registers a child before opening its course)."""
    via_course = select(Course.child_id).where(course_clause(user))
    conditions: list[ColumnElement[bool]] = [Child.id.in_(via_course)]
    if user.role == "educator" and user.institution_id:
        conditions.append(Child.institution_id == user.institution_id)
    if user.role in COURSE_WRITER_ROLES:
        conditions.append(Child.created_by_id == user.id)
    if user.role not in COURSE_ROLES:
        return false()
    return or_(*conditions)


def readable_course_ids(user: User) -> list[str]:
    """Ids of every course the user may read (for sync scopes)."""
    return list(db.session.scalars(select(Course.id).where(course_clause(user))))


def get_course(user: User, course_id: str) -> Course:
    """The course if the user may read it; otherwise 404, revealing nothing."""
    course = db.session.scalar(
        select(Course).where(
            Course.id == course_id, Course.deleted_at.is_(None), course_clause(user)
        )
    )
    if course is None:
        raise ApiError(404, "Not found.", "not_found")
    return course


def get_child(user: User, child_id: str) -> Child:
    """The child if the user may see it; otherwise 404."""
    child = db.session.scalar(
        select(Child).where(Child.id == child_id, Child.deleted_at.is_(None), child_clause(user))
    )
    if child is None:
        raise ApiError(404, "Not found.", "not_found")
    return child


def may_read_course(user: User, course_id: str) -> bool:
    """True when the user may read the course (used by sync and photo access)."""
    return (
        db.session.scalar(
            select(Course.id).where(Course.id == course_id, course_clause(user))
        )
        is not None
    )


def child_of_course(course_id: str) -> str:
    """The child a course is about ("" if none), remembered for the rest of the request:
    the audit log asks this for every record a pull or push touches."""
    memo: dict[str, str] = g.setdefault("child_of_course", {}) if has_request_context() else {}
    if course_id not in memo:
        course = db.session.get(Course, course_id)
        memo[course_id] = course.child_id if course is not None else ""
    return memo[course_id]
