"""Schemas of published reports, read receipts and filings (REST and sync alike)."""

from __future__ import annotations

from marshmallow import fields

from server.meetings.schemas import MeetingPartSchema
from server.records.schemas import ref, required_text, text


class ReportSchema(MeetingPartSchema):
    """A published version of a meeting's report. Creating one publishes it (the server
    fills in the rest); its snapshot is read at /api/reports/<id>/snapshot."""

    number = fields.Integer(
        dump_only=True, metadata={"description": "1, then 2 for the first correction, and so on."}
    )
    published_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    published_by_id = ref(dump_only=True, allow_none=True)
    published_by_name = text(200, dump_only=True)


class ReportReadingSchema(MeetingPartSchema):
    """A guardian's first reading of a report version (made by the server)."""

    report_id = ref(dump_only=True)
    guardian_id = ref(dump_only=True)
    guardian_label = text(200, dump_only=True)
    read_at = fields.AwareDateTime(dump_only=True)


class FilingSchema(MeetingPartSchema):
    """A report sent to the case system. Creating one sends the newest published version;
    it is filed when ``acknowledged_at`` is set."""

    report_id = ref(dump_only=True, allow_none=True)
    filed_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    filed_by_id = ref(dump_only=True, allow_none=True)
    filed_by_name = text(200, dump_only=True)
    location = text(500, dump_only=True)
    state = fields.String(
        dump_only=True,
        metadata={
            "description": "acknowledged (filed), sent (waiting for the receiving side's "
            "receipt) or failed (not taken; sent again by the filing job)."
        },
    )
    acknowledged_at = fields.AwareDateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "When the receiving side acknowledged it: filed from then."},
    )


class ParentCommentSchema(MeetingPartSchema):
    """A guardian's comment on a published report, written on the phone (/p/): staff read
    it and cannot change it. The parents' page loads ``text`` with this schema, so the limit
    is stated once."""

    report_id = ref(dump_only=True)
    guardian_id = ref(dump_only=True)
    guardian_label = text(200, dump_only=True)
    written_at = fields.AwareDateTime(dump_only=True)
    text = required_text(2000)  # last: the name ``text`` is the field from here on
