"""Base schemas shared by every resource."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validate

INT32_MAX = 2**31 - 1  # an Integer column's largest value on PostgreSQL
# The day as the tablets at the table count it: they are in Denmark, so a date typed just
# after midnight there is today, not "in the future" on a server that keeps UTC.
DANISH_TIME = ZoneInfo("Europe/Copenhagen")
# How the OpenAPI document (and so the tablet's contract) states a ``PastYears`` rule.
PAST_YEARS = "x-past-years"
# A field that is null in some records read but may never be set to null (``WrittenNotNull``).
WRITTEN_NOT_NULL = "x-written-not-null"


class RecordSchema(Schema):
    """Fields every synced record carries: a client-made UUID and server bookkeeping."""

    id = fields.UUID(load_default=None, metadata={"description": "Client-made UUID (optional)"})
    version = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
    deleted = fields.Boolean(
        dump_only=True,
        metadata={
            "description": "Deleted records are kept (for sync and restore) and say so here."
        },
    )


class UtcTimestamp(fields.AwareDateTime):
    """An ISO 8601 time, kept in UTC: a time the database cannot hold in UTC (past the year
    9999 once converted) is a field error here, not a failure when it is written."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError("Not a time that can be stored (outside years 1-9999).") from exc


def aware(**kwargs: Any) -> UtcTimestamp:
    """A timestamp field: ISO 8601; a time without zone is taken as UTC."""
    return UtcTimestamp(default_timezone=UTC, **kwargs)


def text(max_len: int, **kwargs: Any) -> fields.String:
    """A bounded text field."""
    return fields.String(validate=validate.Length(max=max_len), **kwargs)


def required_text(max_len: int, **kwargs: Any) -> fields.String:
    """A bounded text field that must not be blank."""
    return fields.String(required=True, validate=validate.Length(min=1, max=max_len), **kwargs)


def one_of(choices: tuple[str, ...], **kwargs: Any) -> fields.String:
    """A string restricted to an enumeration."""
    return fields.String(validate=validate.OneOf(choices), **kwargs)


def ref(**kwargs: Any) -> fields.String:
    """A reference to another record's UUID."""
    return fields.String(validate=validate.Length(equal=36), **kwargs)


def danish_today() -> date:
    """Today's date in Denmark."""
    return datetime.now(DANISH_TIME).date()


def years_before(day: date, years: int) -> date:
    """The same day ``years`` years earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class PastYears(validate.Validator):
    """A date from ``years`` years before today up to today, counted by the Danish day.

    Relative to the day it is checked, so no fixed bound can state it: the OpenAPI document
    carries it as ``x-past-years`` and the tablet's contract checker applies the same rule."""

    def __init__(self, years: int) -> None:
        self.years = years

    def __call__(self, value: date) -> date:
        today = danish_today()
        if value > today:
            raise ValidationError("Must not be after today.")
        if value < years_before(today, self.years):
            raise ValidationError(f"Must not be more than {self.years} years before today.")
        return value

    def _repr_args(self) -> str:
        return f"years={self.years!r}"


class WrittenNotNull(fields.Date):
    """A date that records made before it was required lack (so what is read may be null, and
    the API document says so), which a change may never set to null: the document's
    ``x-written-not-null`` tells the tablet's contract (server/contract.py) to refuse it too."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {**kwargs.pop("metadata", {}), WRITTEN_NOT_NULL: True}
        super().__init__(allow_none=True, metadata=metadata, **kwargs)

    def _validate_missing(self, value: Any) -> None:
        if value is None:
            raise self.make_error("null")
        super()._validate_missing(value)


def past_date(years: int, *, once_null: bool = False, **kwargs: Any) -> fields.Date:
    """A date in the last ``years`` years, today included (see ``PastYears``); ``once_null``:
    records made before the field was required may lack it (see ``WrittenNotNull``)."""
    cls = WrittenNotNull if once_null else fields.Date
    return cls(validate=PastYears(years), metadata={PAST_YEARS: years}, **kwargs)
