"""Courses (trivselsforløb), their staff, consents and tasks."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from server import access, audit
from server.auth.current import current_user, require_roles
from server.courses import attachments
from server.courses.checks import hand_over
from server.courses.filenames import content_disposition, safe_filename
from server.courses.schemas import (
    AttachmentFileSchema,
    AttachmentFormSchema,
    AttachmentSchema,
    AttachmentUpdateSchema,
    CourseMemberSchema,
    CourseSchema,
)
from server.errors import ApiError
from server.extensions import db
from server.kinds import CONSENT, COURSE, TASK, WRITERS
from server.models import Attachment, Course, CourseMember, Task, User
from server.models._common import utcnow
from server.photos.storage import ObjectMissing
from server.photos.store import send_stored
from server.records.form_input import read_form
from server.records.routes import register_kind

blp = Blueprint("courses", __name__, url_prefix="/api", description="Courses")


@blp.route("/courses", endpoint="courses_visible")
class Courses(MethodView):
    @blp.response(200, CourseSchema(many=True))
    def get(self) -> Any:
        """List the courses you may see."""
        user = current_user()
        rows = list(
            db.session.scalars(
                select(Course)
                .where(Course.deleted_at.is_(None), access.clause(Course, user))
                .order_by(Course.start_date.desc())
            )
        )
        for course in rows:
            audit.record("list", "course", course.id, course.child_id)
        db.session.commit()
        return rows


def _course_to_change(course_id: str) -> Course:
    """The course if visible (else 404, before anything else) and the role may manage members."""
    user = current_user()
    course = access.get_course(user, course_id)
    if user.role not in ("family_unit", "educator"):
        raise ApiError(403, "Your role may not change who is on the course.", "forbidden")
    return course


@blp.route("/courses/<course_id>/members", endpoint="course_members")
class Members(MethodView):
    @blp.response(200, CourseMemberSchema(many=True))
    def get(self, course_id: str) -> Any:
        """List the staff added to a course."""
        course = access.get_course(current_user(), course_id)
        rows = list(
            db.session.execute(
                select(CourseMember.user_id, User.name, User.role)
                .join(User, User.id == CourseMember.user_id)
                .where(CourseMember.course_id == course_id)
            )
        )
        # Who works on a child's course is part of that child's case: it shows in the log.
        audit.record("list", "course_member", course.id, course.child_id)
        db.session.commit()
        return [{"user_id": r.user_id, "name": r.name, "role": r.role} for r in rows]

    @blp.arguments(CourseMemberSchema)
    @blp.response(201, CourseMemberSchema)
    def post(self, data: dict[str, str], course_id: str) -> Any:
        """Add a member of staff (family unit or PPR) to a course."""
        course = _course_to_change(course_id)
        member = db.session.get(User, data["user_id"])
        if member is None or member.role not in ("family_unit", "psychologist"):
            raise ApiError(
                422,
                "Only family unit staff and psychologists can be added.",
                "invalid",
                {"user_id": ["Choose a member of the family unit or PPR."]},
            )
        if db.session.get(CourseMember, (course.id, member.id)) is None:
            db.session.add(CourseMember(course_id=course.id, user_id=member.id))
        audit.record("update", "course", course.id, course.child_id, f"member+{member.id}")
        db.session.commit()
        return {"user_id": member.id, "name": member.name, "role": member.role}


@blp.route("/courses/<course_id>/members/<user_id>", endpoint="course_member")
class Member(MethodView):
    @blp.response(204)
    def delete(self, course_id: str, user_id: str) -> None:
        """Remove a member of staff from a course."""
        course = _course_to_change(course_id)
        row = db.session.get(CourseMember, (course.id, user_id))
        if row is None:
            raise ApiError(404, "Not found.", "not_found")
        db.session.delete(row)
        audit.record("update", "course", course.id, course.child_id, f"member-{user_id}")
        db.session.commit()


register_kind(blp, COURSE, "courses", "children")
register_kind(blp, CONSENT, "consents", "courses")
register_kind(blp, TASK, "tasks", "courses")


@blp.route("/staff/leaders", endpoint="course_leaders")
class Leaders(MethodView):
    @blp.response(200, CourseMemberSchema(many=True))
    def get(self) -> Any:
        """Who can lead a course: the active family-unit staff (names only)."""
        current_user()
        rows = db.session.scalars(
            select(User)
            .where(User.role == "family_unit", User.active.is_(True))
            .order_by(User.name)
        )
        return [{"user_id": u.id, "name": u.name, "role": u.role} for u in rows]


@blp.route("/courses/<course_id>/hand-over", endpoint="course_hand_over")
class HandOver(MethodView):
    @blp.response(200, CourseSchema)
    def post(self, course_id: str) -> Any:
        """Record the hand-over to the child counsellor after an underretning (family unit)."""
        user = current_user()
        course = access.get_course(user, course_id)  # 404 first: an unseen course stays unseen
        if user.role != "family_unit":
            raise ApiError(403, "Only the family unit records a hand-over.", "forbidden")
        hand_over(course)
        for task in db.session.scalars(
            select(Task).where(
                Task.course_id == course.id, Task.kind == "hand_over", Task.done_at.is_(None)
            )
        ):
            task.done_at = course.closed_at
        audit.record("update", "course", course.id, course.child_id, "handed_over")
        db.session.commit()
        return course


@blp.route("/courses/<course_id>/attachments", endpoint="course_attachments")
class Attachments(MethodView):
    @blp.response(200, AttachmentSchema(many=True))
    def get(self, course_id: str) -> Any:
        """The course's documents (resource assessment, TOPI results, ...)."""
        course = access.get_course(current_user(), course_id)
        rows = list(
            db.session.scalars(
                select(Attachment)
                .where(Attachment.course_id == course.id, Attachment.deleted_at.is_(None))
                .order_by(Attachment.created_at)
            )
        )
        audit.record("list", "attachment", course.id, course.child_id)
        db.session.commit()
        return rows

    @require_roles(*WRITERS)
    @blp.arguments(AttachmentFileSchema, location="files")
    @blp.response(201, AttachmentSchema)
    def post(self, files: dict[str, Any], course_id: str) -> Any:
        """Attach a PDF, JPEG or PNG (multipart: ``file``, ``title``, ``kind``,
        ``shared_with_guardians``); images are stored without their metadata."""
        user = current_user()
        course = access.get_course(user, course_id)
        # OpenAPI 3 has one request body: the form fields are read here, not by a decorator.
        form = AttachmentFormSchema().load(read_form())  # refuses NUL like JSON does
        upload = files["file"]
        checked = attachments.check_file(
            upload.read(current_app.config["ATTACHMENT_MAX_BYTES"] + 1)
        )
        row = Attachment(
            course_id=course.id,
            title=form["title"],
            kind=form["kind"],
            filename=safe_filename(upload.filename, checked.content_type),
            content_type=checked.content_type,
            size=len(checked.data),
            content_hash=attachments.store(checked.data),
            shared_with_guardians=form["shared_with_guardians"],
            created_by_id=user.id,
        )
        db.session.add(row)
        db.session.flush()
        audit.record("create", "attachment", row.id, course.child_id, row.kind)
        db.session.commit()
        return row


def _attachment(attachment_id: str) -> tuple[Attachment, Course]:
    user = current_user()  # who asks comes first: a lookup must not answer a stranger
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.deleted_at is not None:
        raise ApiError(404, "Not found.", "not_found")
    return row, access.get_course(user, row.course_id)


@blp.route("/attachments/<attachment_id>", endpoint="attachment")
class AttachmentItem(MethodView):
    @require_roles(*WRITERS)
    @blp.arguments(AttachmentUpdateSchema)
    @blp.response(200, AttachmentSchema)
    def patch(self, data: dict[str, Any], attachment_id: str) -> Any:
        """Rename a document, or share it with the guardians (or stop sharing it)."""
        row, course = _attachment(attachment_id)
        for name, value in data.items():
            setattr(row, name, value)
        audit.record("update", "attachment", row.id, course.child_id, ",".join(sorted(data)))
        db.session.commit()
        return row

    @require_roles(*WRITERS)
    @blp.response(204)
    def delete(self, attachment_id: str) -> None:
        """Remove a document from the course."""
        row, course = _attachment(attachment_id)
        row.deleted_at = utcnow()
        audit.record("delete", "attachment", row.id, course.child_id)
        db.session.commit()


@blp.route("/attachments/<attachment_id>/file", endpoint="attachment_file")
class AttachmentFile(MethodView):
    @blp.response(200, content_type="application/octet-stream")
    def get(self, attachment_id: str) -> Response:
        """The document's bytes (as a download)."""
        row, course = _attachment(attachment_id)
        audit.record("read", "attachment", row.id, course.child_id)
        db.session.commit()
        return send_attachment(row)


def send_attachment(row: Attachment) -> Response:
    """The document as a download (never shown inline), after the caller's access check."""
    try:
        stored = attachments.open_file(row.content_hash)
    except ObjectMissing as exc:
        raise ApiError(404, "Not found.", "not_found") from exc
    return send_stored(
        stored,
        row.content_type,
        disposition=(content_disposition(safe_filename(row.filename, row.content_type))),
    )
