"""A staff member's work phone and e-mail: how parents reach the leader of their child's
course (issue 21). The person sets them (``PATCH /api/auth/me/contact``), or an admin does
(``PATCH /api/users/<id>``); they grant nothing, so they take effect at once, and each
change is in the account's history (``log.py``).
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from marshmallow import Schema, ValidationError, fields, validate

from server.models import User
from server.users import log

# A number without a country code is Danish; one with a code keeps it.
REGION = "DK"
CONTACT_FIELDS = ("work_phone", "work_email")


class WorkPhone(fields.String):
    """A phone number a parent can dial, written one way: "70 10 20 30" for a Danish number
    (the way Danes write them), "+46 8 123 456 78" for another country's. Empty clears it."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(super()._deserialize(value, attr, data, **kwargs)).strip()
        if not text:
            return ""
        try:
            number = phonenumbers.parse(text, REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError("Not a phone number (e.g. 70 10 20 30 or +45 70 10 20 30).")
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if phonenumbers.region_code_for_number(number) == REGION
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return str(phonenumbers.format_number(number, style))


class WorkEmail(fields.String):
    """An e-mail address, or empty to clear it. A string in the API's document, not
    ``format: email``: the empty string a cleared field answers with is no address."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(super()._deserialize(value, attr, data, **kwargs)).strip()
        if not text:
            return ""
        validate.Email(error="Not an e-mail address.")(text)
        return text.lower()


def phone_field(**kwargs: Any) -> WorkPhone:
    """The work phone as the schemas take it (at most 40 characters as sent)."""
    return WorkPhone(validate=validate.Length(max=40), **kwargs)


def email_field(**kwargs: Any) -> WorkEmail:
    """The work e-mail as the schemas take it."""
    return WorkEmail(validate=validate.Length(max=254), **kwargs)


class ContactSchema(Schema):
    """How parents reach this person: shown on the parents' pages, letters and PDFs of the
    courses they lead. Empty strings clear a field."""

    work_phone = phone_field(metadata={"description": 'e.g. "70 10 20 30"'})
    work_email = email_field()


def apply(user: User, data: dict[str, Any]) -> None:
    """Set the given contact fields, recording each change in the account's history."""
    for name in CONTACT_FIELDS:
        if name in data and data[name] != getattr(user, name):
            log.entry("contact_changed", user.id, f"{name}: {getattr(user, name)} -> {data[name]}")
            setattr(user, name, data[name])
