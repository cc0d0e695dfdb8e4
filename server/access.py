"""Who may see which child's data: the one place the access rules live.

The rules, in words (issue "Foundation", issue 10 item 1):

- **Admins** manage users and institutions. They see no child's data at all: no child, no
  guardian, no course, nothing of a course.
- **A course** is readable by the family-unit worker who leads it and the family-unit
  staff added to it; by the educators of the institution it belongs to; and by the
  psychologists added to it.
- **Everything of a course** — its meetings and their parts (participants, board notes and
  photos, agreements, minutes, scaling answers, the child's three houses), consents, tasks,
  published reports, read receipts, filings and the parents' comments — is readable exactly
  when the course is readable and not deleted. (Guardians read none of these records: they
  read published reports' snapshots, which hold the child's three houses only when shared.)
- **A child**, and the child's guardians, are readable by whoever may read one of the
  child's live courses, by the educators of the child's institution, and by the member of
  staff who registered the child (the family unit registers a child before the course).
- **A conflict** (a value that lost) is readable only by its author.

Each rule is one SQL condition on the kind's table (``clause``). Item reads, lists (the
same condition, so a list shows exactly the records the item route would), the write path
(a record may be changed only by someone who may read it) and sync scopes all use it.
A record the caller may not read is answered 404, exactly like one that does not exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import g, has_request_context
from sqlalchemy import ColumnElement, Select, false, or_, select

from server.errors import ApiError
from server.extensions import db
from server.models import (
    Agreement,
    BoardNote,
    BoardPhoto,
    Child,
    Consent,
    Course,
    CourseMember,
    Filing,
    Guardian,
    Houses,
    Institution,
    Meeting,
    Minutes,
    ParentComment,
    Participant,
    Report,
    ReportReading,
    ScalingAnswer,
    SyncConflict,
    Task,
    User,
)

COURSE_ROLES = ("family_unit", "educator", "psychologist")
COURSE_WRITER_ROLES = ("family_unit", "educator")


def course_clause(user: User) -> ColumnElement[bool]:
    """SQL condition on Course: the courses this user may read (deleted ones included, so a
    deleted course can be restored by those who could read it)."""
    member = select(CourseMember.course_id).where(CourseMember.user_id == user.id)
    if user.role == "family_unit":
        return or_(Course.leader_id == user.id, Course.id.in_(member))
    if user.role == "educator" and user.institution_id:
        return Course.institution_id == user.institution_id
    if user.role == "psychologist":
        return Course.id.in_(member)
    return false()


def live_course_clause(user: User) -> ColumnElement[bool]:
    """SQL condition on Course: readable and not deleted (what a course's contents need)."""
    return Course.deleted_at.is_(None) & course_clause(user)


def readable_courses(user: User) -> Select[str]:
    """Ids of the live courses the user may read, as a subquery."""
    return select(Course.id).where(live_course_clause(user))


def child_clause(user: User) -> ColumnElement[bool]:
    """SQL condition on Child: children of readable live courses, of the educator's
    institution, or registered by this user."""
    if user.role not in COURSE_ROLES:
        return false()
    via_course = select(Course.child_id).where(live_course_clause(user))
    conditions: list[ColumnElement[bool]] = [Child.id.in_(via_course)]
    if user.role == "educator" and user.institution_id:
        conditions.append(Child.institution_id == user.institution_id)
    if user.role in COURSE_WRITER_ROLES:
        conditions.append(Child.created_by_id == user.id)
    return or_(*conditions)


def _guardian_clause(user: User) -> ColumnElement[bool]:
    return Guardian.child_id.in_(select(Child.id).where(child_clause(user)))


def _conflict_clause(user: User) -> ColumnElement[bool]:
    return SyncConflict.user_id == user.id


def _of_course(model: Any) -> Callable[[User], ColumnElement[bool]]:
    def clause(user: User) -> ColumnElement[bool]:
        column: Any = model.course_id
        condition: ColumnElement[bool] = column.in_(readable_courses(user))
        return condition

    return clause


# The rule of every record kind: an SQL condition on its table for a given user.
_RULES: dict[type[Any], Callable[[User], ColumnElement[bool]]] = {
    Child: child_clause,
    Guardian: _guardian_clause,
    Course: course_clause,
    SyncConflict: _conflict_clause,
    **{
        model: _of_course(model)
        for model in (
            Meeting,
            Consent,
            Task,
            Participant,
            BoardNote,
            BoardPhoto,
            Agreement,
            Minutes,
            ScalingAnswer,
            Report,
            ReportReading,
            Filing,
            ParentComment,
            Houses,
        )
    },
}


def clause(model: type[Any], user: User) -> ColumnElement[bool]:
    """SQL condition on ``model``'s table: the records of that kind this user may read."""
    return _RULES[model](user)


def has_rule(model: type[Any]) -> bool:
    """Whether ``model`` holds child data guarded by a rule above."""
    return model in _RULES


def get_visible(model: type[Any], user: User, record_id: str) -> Any:
    """The live record if the user may read it; otherwise 404, revealing nothing."""
    if not _is_uuid(record_id):
        raise ApiError(404, "Not found.", "not_found")
    found = db.session.scalar(
        select(model).where(model.id == record_id, model.deleted_at.is_(None), clause(model, user))
    )
    if found is None:
        raise ApiError(404, "Not found.", "not_found")
    return found


def get_course(user: User, course_id: str) -> Course:
    """The course if the user may read it; otherwise 404."""
    course: Course = get_visible(Course, user, course_id)
    return course


def get_child(user: User, child_id: str) -> Child:
    """The child if the user may read it; otherwise 404."""
    child: Child = get_visible(Child, user, child_id)
    return child


def load_meeting(user: User, meeting_id: str) -> Meeting:
    """A live meeting of a course the user may read; otherwise 404."""
    if not _is_uuid(meeting_id):
        raise ApiError(404, "Not found.", "not_found")
    # With its course's child: whoever loads a meeting writes an audit entry about the
    # child next (a push of new notes under it, say), and need not ask again.
    found = db.session.execute(
        select(Meeting, Course.child_id)
        .join(Course, Course.id == Meeting.course_id)
        .where(Meeting.id == meeting_id, Meeting.deleted_at.is_(None), clause(Meeting, user))
    ).first()
    if found is None:
        raise ApiError(404, "Not found.", "not_found")
    meeting, child_id = found
    remember_child_of_course(meeting.course_id, child_id)
    return meeting


def load_institution(user: User, institution_id: str) -> Institution:
    """An institution the user may register children in (educators only their own; the
    roles that may not register children at all are refused by the kind's writer roles).
    Its children are listed through ``child_clause`` like any other list."""
    inst = db.session.get(Institution, institution_id) if _is_uuid(institution_id) else None
    if inst is None or (user.role == "educator" and user.institution_id != inst.id):
        raise ApiError(404, "Not found.", "not_found")
    return inst


def own_conflicts(user: User, user_id: str) -> User:
    """Conflicts hang under their author: only the author gets past this."""
    if user_id != user.id:
        raise ApiError(404, "Not found.", "not_found")
    return user


def may_read_course(user: User, course_id: str) -> bool:
    """True when the user may read the live course (used by sync and photo access)."""
    found = db.session.scalar(
        select(Course.id).where(Course.id == course_id, live_course_clause(user))
    )
    return found is not None


def readable_course_ids(user: User) -> list[str]:
    """Ids of every live course the user may read."""
    return list(db.session.scalars(readable_courses(user)))


def child_of_course(course_id: str) -> str:
    """The child a course is about ("" if none), remembered for the rest of the request:
    the audit log asks this for every record a pull or push touches."""
    memo: dict[str, str] = g.setdefault("child_of_course", {}) if has_request_context() else {}
    if course_id not in memo:
        # Without flushing: a course's child never depends on what this request has pending
        # (and a push's new records go in together, in one statement, at the end).
        with db.session.no_autoflush:
            course = db.session.get(Course, course_id)
        memo[course_id] = course.child_id if course is not None else ""
    return memo[course_id]


def remember_child_of_course(course_id: str, child_id: str) -> None:
    """Tell ``child_of_course`` what a query has just read anyway."""
    if has_request_context():
        g.setdefault("child_of_course", {})[course_id] = child_id


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True
