"""Schemas for meetings and their parts (used by the REST API and by sync pushes)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from server.models._common import (
    AGREEMENT_OUTCOMES,
    AGREEMENT_OWNERS,
    BOARD_COLUMNS,
    CHILD_PARTICIPATION,
    HOUSE_PARTS,
    MEETING_KINDS,
    MEETING_STATUSES,
    PARTICIPANT_ROLES,
    SCALE,
)
from server.records.schemas import (
    INT32_MAX,
    RecordSchema,
    aware,
    one_of,
    ref,
    required_text,
    text,
)

SHA256_HEX = validate.Regexp(r"^[0-9a-f]{64}$", error="Must be a SHA-256 in lower-case hex.")


class MeetingSchema(RecordSchema):
    """A meeting of a course."""

    course_id = ref(required=True)
    kind = one_of(MEETING_KINDS, required=True)
    starts_at = aware(required=True)
    place = text(200, load_default="")
    status = one_of(MEETING_STATUSES, load_default="planned")
    agenda = text(10000, load_default="")
    child_participation = one_of(CHILD_PARTICIPATION, allow_none=True, load_default=None)
    child_perspective = text(10000, load_default="")
    next_meeting_at = aware(allow_none=True, load_default=None)
    underretning = fields.Boolean(load_default=False)
    underretning_note = text(5000, load_default="")
    finished_at = fields.AwareDateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "When the server learnt that the meeting was finished."},
    )
    held_at = aware(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "When the meeting was finished at the table, by the tablet's clock "
            "(sent with the finishing change, offline too). The server keeps it "
            "between the course's start and its own clock (+60 s); set to the "
            "server's time when a meeting is finished without one."
        },
    )


class MeetingPartSchema(RecordSchema):
    """Fields of every part of a meeting."""

    meeting_id = ref(required=True)
    course_id = ref(dump_only=True)


class ParticipantSchema(MeetingPartSchema):
    """Someone taking part in a meeting."""

    name = required_text(200)
    role = one_of(PARTICIPANT_ROLES, required=True)
    present = fields.Boolean(load_default=False)
    user_id = ref(allow_none=True, load_default=None)
    guardian_id = ref(allow_none=True, load_default=None)


class BoardNoteSchema(MeetingPartSchema):
    """A note in one of the board's three columns."""

    column = one_of(BOARD_COLUMNS, required=True)
    text = required_text(2000)
    position = fields.Float(load_default=0.0, allow_nan=False)


class BoardPhotoSchema(MeetingPartSchema):
    """A board photo; its bytes are uploaded to /api/blobs/<content_hash>."""

    content_hash = fields.String(required=True, validate=[validate.Length(equal=64), SHA256_HEX])
    content_type = one_of(("image/jpeg", "image/png", "image/webp"), load_default="image/jpeg")
    size = fields.Integer(required=True, validate=validate.Range(min=1, max=INT32_MAX))
    caption = text(500, load_default="")
    house = one_of(
        ("", *HOUSE_PARTS),
        load_default="",
        metadata={
            "description": "Empty for a photo of the board; else the part of the child's three "
            "houses whose drawing this is (shown with the houses, never on the board)."
        },
    )
    # The record's created_at travels in the sync envelope's bookkeeping, not in its fields,
    # which are all the tablet keeps: the tablet orders the board's photos by this.
    received_at = aware(
        attribute="created_at",
        dump_only=True,
        metadata={
            "description": "When the server received the record: the order of a board's photos."
        },
    )
    uploaded = fields.Method(
        "_uploaded",
        dump_only=True,
        metadata={
            "description": "Whether the photo's bytes have been uploaded by the record's author "
            "(or one who may read them): a record may come before its bytes."
        },
    )

    def _uploaded(self, obj: Any) -> bool:
        from server.photos.access import is_uploaded

        return is_uploaded(obj)


class AgreementSchema(MeetingPartSchema):
    """An agreement: what, who, by when."""

    what = required_text(2000)
    owner = one_of(AGREEMENT_OWNERS, required=True)
    due_date = fields.Date(allow_none=True, load_default=None)
    done = fields.Boolean(load_default=False)
    outcome = one_of(
        AGREEMENT_OUTCOMES,
        allow_none=True,
        load_default=None,
        metadata={"description": "How it went, said at the next meeting (null: not reviewed yet)."},
    )
    carried_from_id = ref(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The agreement of an earlier meeting of the course this one carries on."
        },
    )


class ScalingAnswerSchema(MeetingPartSchema):
    """One answer to the scaling question: where someone at the meeting puts things today,
    from 0 (could not be worse) to 10 (all is as it should be)."""

    participant_id = ref(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The participant who answered (null: the child's answer, brought by "
            "staff when the child was not there)."
        },
    )
    role = one_of(PARTICIPANT_ROLES, required=True)
    name = required_text(200)
    # Strict: 3.5 or "7" from a push is refused, not rounded (the tablet sends whole numbers).
    value = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=SCALE[0], max=SCALE[1])
    )


class MinutesSchema(MeetingPartSchema):
    """Written minutes of a meeting."""

    text = text(50000, load_default="")


class HousesSchema(MeetingPartSchema):
    """The child's three houses at a meeting: words in each (a drawing's photo is a
    board_photo naming its house), and whether the parents see them."""

    worries = text(5000, load_default="", metadata={"description": "Huset med bekymringer."})
    good = text(5000, load_default="", metadata={"description": "Huset med de gode ting."})
    dream = text(5000, load_default="", metadata={"description": "Drømmehuset."})
    shared_with_parents = fields.Boolean(
        load_default=False,
        metadata={"description": "Shown in the parents' report (and its PDF) only when true."},
    )
