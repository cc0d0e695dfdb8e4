"""Schemas for courses, their members, consents and tasks."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from server.models._common import CONCERN_LEVELS, CONSENT_STATUSES, COURSE_STATUSES, ROLES
from server.records.schemas import RecordSchema, aware, one_of, ref, required_text, text


class CourseSchema(RecordSchema):
    """A trivselsforløb for one child."""

    child_id = ref(required=True)
    institution_id = ref(dump_only=True)
    leader_id = ref(required=True)
    concern_level = one_of(CONCERN_LEVELS, required=True)
    reason = text(5000, load_default="")
    status = one_of(COURSE_STATUSES, dump_only=True)
    start_date = fields.Date(required=True)
    closed_at = fields.AwareDateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Null until the course is closed."},
    )


class CourseMemberSchema(Schema):
    """A member of staff added to a course."""

    user_id = ref(required=True)
    name = fields.String(dump_only=True)
    role = fields.String(dump_only=True)


class ConsentSchema(RecordSchema):
    """A guardian's consent for the course."""

    course_id = ref(required=True)
    guardian_id = ref(required=True)
    status = one_of(CONSENT_STATUSES, required=True)
    channel = text(30, load_default="")
    requested_at = aware(allow_none=True, load_default=None)
    granted_at = aware(allow_none=True, load_default=None)
    declined_at = aware(allow_none=True, load_default=None)
    withdrawn_at = aware(allow_none=True, load_default=None)


class TaskSchema(RecordSchema):
    """A follow-up task."""

    course_id = ref(required=True)
    meeting_id = ref(allow_none=True, load_default=None)
    kind = text(40, load_default="other")
    title = required_text(300)
    assignee_role = one_of(ROLES, required=True)
    assignee_id = ref(allow_none=True, load_default=None)
    due_date = fields.Date(allow_none=True, load_default=None)
    done_at = aware(allow_none=True, load_default=None)


class AttachmentSchema(Schema):
    """A document of a course (PDF or image)."""

    id = fields.String(dump_only=True)
    course_id = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    kind = fields.String(dump_only=True)
    filename = fields.String(dump_only=True)
    content_type = fields.String(dump_only=True)
    size = fields.Integer(dump_only=True)
    shared_with_guardians = fields.Boolean(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)


class AttachmentFormSchema(Schema):
    """The form fields sent with an attachment."""

    title = required_text(200)
    kind = one_of(("resource_assessment", "topi", "other"), load_default="other")
    shared_with_guardians = fields.Boolean(load_default=False)


class AttachmentFileSchema(Schema):
    """The multipart body. Only ``file`` is read from the files part; the other fields are
    listed here so the API document shows the whole form (they are read with
    AttachmentFormSchema)."""

    file = Upload(required=True)
    title = fields.String(metadata={"description": "Required, at most 200 characters."})
    kind = fields.String(metadata={"description": "resource_assessment, topi or other."})
    shared_with_guardians = fields.Boolean(metadata={"description": "Default false."})


class AttachmentUpdateSchema(Schema):
    title = text(200)
    shared_with_guardians = fields.Boolean()
