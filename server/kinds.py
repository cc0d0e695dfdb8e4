"""Every record kind, in the one registry that says which exist: ``ALL_KINDS`` for the REST
routes, ``KINDS`` (the same and the server's conflicts, by wire name) for sync and the
tablet's contract. What a kind is (``Kind``) is the write path's, ``server/records/kind.py``.

Wiring only: who may read what is stated in ``server/access.py``, the process rules in
``server/courses/rules.py`` and ``server/reports/publish.py``, and what a record may hold
in its schema.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from server import access
from server.children.schemas import ChildSchema, GuardianSchema
from server.courses.checks import (
    check_agreement,
    check_consent,
    check_course,
    check_goal_pair,
    check_goal_score,
    check_houses,
    check_scaling,
    meeting_rules,
)
from server.courses.schemas import ConsentSchema, CourseSchema, TaskSchema
from server.goals.schemas import GoalPairSchema, GoalScoreSchema
from server.meetings.attendance import expected_people
from server.meetings.schemas import (
    AgreementSchema,
    BoardNoteSchema,
    BoardPhotoSchema,
    HousesSchema,
    MeetingSchema,
    MinutesSchema,
    ParticipantSchema,
    ScalingAnswerSchema,
)
from server.models import (
    Agreement,
    BoardNote,
    BoardPhoto,
    Child,
    Consent,
    Course,
    GoalPair,
    GoalScore,
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
    Task,
    User,
)
from server.models import Filing as FilingModel
from server.photos.access import claim
from server.records.kind import Kind
from server.reports.publish import file_report, publish, unchangeable
from server.reports.schemas import (
    FilingSchema,
    ParentCommentSchema,
    ReportReadingSchema,
    ReportSchema,
)
from server.sync.conflicts import CONFLICT

WRITERS = ("family_unit", "educator")


def _course_of(obj: Any) -> str:
    return access.child_of_course(obj.course_id)


# Derived columns, filled from the parent when a record is created.
def _from_meeting(part: Any, meeting: Meeting, _user: User) -> None:
    part.course_id = meeting.course_id


def _photo_from_meeting(photo: BoardPhoto, meeting: Meeting, user: User) -> None:
    _from_meeting(photo, meeting, user)
    claim(photo, user)


def _from_child(course: Course, child: Child, _user: User) -> None:
    course.institution_id = child.institution_id


def _registered_by(child: Child, _inst: Institution, user: User) -> None:
    child.created_by_id = user.id


def _meeting_part(name: str, model: type[Any], schema: Any) -> Kind:
    return Kind(
        name=name,
        model=model,
        schema=schema,
        parent_field="meeting_id",
        load_parent=access.load_meeting,
        child_id_of=_course_of,
        parent_child_id=_course_of,
        on_create=_from_meeting,
        fixed=("meeting_id",),
    )


CHILD = Kind(
    name="child",
    model=Child,
    schema=ChildSchema,
    parent_field="institution_id",
    load_parent=access.load_institution,
    child_id_of=lambda c: c.id,
    parent_child_id=lambda _i: "",
    writer_roles=WRITERS,
    on_create=_registered_by,
    fixed=("institution_id",),
)
GUARDIAN = Kind(
    name="guardian",
    model=Guardian,
    schema=GuardianSchema,
    parent_field="child_id",
    load_parent=access.get_child,
    child_id_of=lambda g: g.child_id,
    parent_child_id=lambda c: c.id,
    writer_roles=WRITERS,
    fixed=("child_id",),
)
COURSE = Kind(
    name="course",
    model=Course,
    schema=CourseSchema,
    parent_field="child_id",
    load_parent=access.get_child,
    child_id_of=lambda c: c.child_id,
    parent_child_id=lambda c: c.id,
    writer_roles=WRITERS,
    on_create=_from_child,
    check=check_course,
    fixed=("child_id",),
)
MEETING = Kind(
    name="meeting",
    model=Meeting,
    schema=MeetingSchema,
    parent_field="course_id",
    load_parent=access.get_course,
    child_id_of=_course_of,
    parent_child_id=lambda c: c.child_id,
    check=meeting_rules,
    on_create=expected_people,  # who is expected at the start meeting, to be ticked
    fixed=("course_id",),
    before_fields=("status",),
)
CONSENT = Kind(
    name="consent",
    model=Consent,
    schema=ConsentSchema,
    parent_field="course_id",
    load_parent=access.get_course,
    child_id_of=_course_of,
    parent_child_id=lambda c: c.child_id,
    writer_roles=WRITERS,
    check=check_consent,
    fixed=("course_id", "guardian_id"),
)
TASK = Kind(
    name="task",
    model=Task,
    schema=TaskSchema,
    parent_field="course_id",
    load_parent=access.get_course,
    child_id_of=_course_of,
    parent_child_id=lambda c: c.child_id,
    fixed=("course_id",),
)
PARTICIPANT = _meeting_part("participant", Participant, ParticipantSchema)
BOARD_NOTE = _meeting_part("board_note", BoardNote, BoardNoteSchema)
BOARD_PHOTO = replace(  # a record may name bytes only with proof of possession
    _meeting_part("board_photo", BoardPhoto, BoardPhotoSchema),
    on_create=_photo_from_meeting,
    fixed=("meeting_id", "content_hash", "house"),  # a drawing never moves onto the board
)
AGREEMENT = replace(_meeting_part("agreement", Agreement, AgreementSchema), check=check_agreement)
SCALING_ANSWER = replace(
    _meeting_part("scaling_answer", ScalingAnswer, ScalingAnswerSchema), check=check_scaling
)
MINUTES = _meeting_part("minutes", Minutes, MinutesSchema)
HOUSES = replace(_meeting_part("houses", Houses, HousesSchema), check=check_houses)

# Publishing and filing happen when the server accepts the record (see reports/publish.py).
REPORT = Kind(
    name="report",
    model=Report,
    schema=ReportSchema,
    parent_field="meeting_id",
    load_parent=access.load_meeting,
    child_id_of=_course_of,
    parent_child_id=_course_of,
    writer_roles=("family_unit",),
    on_create=publish,
    check=unchangeable,
    fixed=("meeting_id",),
)
REPORT_READING = Kind(  # made by the server when a guardian first opens a report
    name="report_reading",
    model=ReportReading,
    schema=ReportReadingSchema,
    parent_field="meeting_id",
    load_parent=access.load_meeting,
    child_id_of=_course_of,
    parent_child_id=_course_of,
    writer_roles=(),
    check=unchangeable,
    fixed=("meeting_id",),
)
FILING = Kind(
    name="filing",
    model=FilingModel,
    schema=FilingSchema,
    parent_field="meeting_id",
    load_parent=access.load_meeting,
    child_id_of=_course_of,
    parent_child_id=_course_of,
    writer_roles=("family_unit",),
    on_create=file_report,
    check=unchangeable,
    fixed=("meeting_id",),
)

PARENT_COMMENT = Kind(  # written by a guardian on the parents' pages; staff only read it
    name="parent_comment",
    model=ParentComment,
    schema=ParentCommentSchema,
    parent_field="meeting_id",
    load_parent=access.load_meeting,
    child_id_of=_course_of,
    parent_child_id=_course_of,
    writer_roles=(),
    check=unchangeable,
    fixed=("meeting_id",),
)

GOAL_PAIR = Kind(  # a worry paired with a goal, on the course: scaled at every meeting
    name="goal_pair",
    model=GoalPair,
    schema=GoalPairSchema,
    parent_field="course_id",
    load_parent=access.get_course,
    child_id_of=_course_of,
    parent_child_id=lambda c: c.child_id,
    check=check_goal_pair,
    fixed=("course_id",),
)
GOAL_SCORE = replace(
    _meeting_part("goal_score", GoalScore, GoalScoreSchema),
    check=check_goal_score,
    fixed=("meeting_id", "goal_pair_id"),
)

ALL_KINDS = (
    CHILD,
    GUARDIAN,
    COURSE,
    MEETING,
    CONSENT,
    TASK,
    PARTICIPANT,
    BOARD_NOTE,
    BOARD_PHOTO,
    AGREEMENT,
    MINUTES,
    SCALING_ANSWER,
    REPORT,
    REPORT_READING,
    FILING,
    PARENT_COMMENT,
    HOUSES,
    GOAL_PAIR,
    GOAL_SCORE,
)

# Every record kind that travels through sync, by wire name: conflicts are made only by the
# server (server/sync/conflicts.py) and have no REST routes of their own.
KINDS: dict[str, Kind] = {kind.name: kind for kind in (*ALL_KINDS, CONFLICT)}
