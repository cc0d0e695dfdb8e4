"""A person chooses their own password (from a one-time link, or knowing the current one),
and reads their own account's history."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from server.auth.current import current_user
from server.auth.modes import require_password_login
from server.auth.passwords import hash_password, verify_password
from server.errors import ApiError
from server.extensions import db
from server.users import contact, links, log
from server.users.contact import ContactSchema
from server.users.schemas import HistoryEntrySchema

blp = Blueprint(
    "passwords",
    __name__,
    url_prefix="/api/auth",
    description="A person's own password, work contact and account history",
)


def _new_password() -> fields.String:
    """The person's own new password (at least 10 characters, as before)."""
    return fields.String(required=True, validate=validate.Length(min=10, max=500))


class LinkPasswordSchema(Schema):
    """The secret from the e-mailed link and the password the person chose."""

    token = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = _new_password()


class OwnPasswordSchema(Schema):
    """A signed-in person's current and new password."""

    current_password = fields.String(required=True, validate=validate.Length(min=1, max=500))
    password = _new_password()


@blp.route("/password-link")
class PasswordFromLink(MethodView):
    @blp.arguments(LinkPasswordSchema)
    @blp.response(204)
    def post(self, data: dict[str, str]) -> None:
        """Choose a password with a one-time link (welcome or reset); then sign in with it.
        A used, expired or unknown link is a 404, and so is every link while local passwords
        are off (``PASSWORD_LOGIN=0``)."""
        require_password_login()
        links.redeem(data["token"], data["password"])
        db.session.commit()


@blp.route("/password")
class OwnPassword(MethodView):
    @blp.arguments(OwnPasswordSchema)
    @blp.response(204)
    def post(self, data: dict[str, str]) -> None:
        """Change your own password; you stay signed in on this device, other devices are
        signed out. 404 while local passwords are off (``PASSWORD_LOGIN=0``)."""
        require_password_login()
        me = current_user()
        if not verify_password(me.password_hash, data["current_password"]):
            raise ApiError(
                422,
                "The current password is wrong.",
                "invalid",
                {"current_password": ["Wrong password."]},
            )
        me.password_hash = hash_password(data["password"])
        log.entry("password_set", me.id, "password changed by the person")
        db.session.commit()


@blp.route("/me/history")
class OwnHistory(MethodView):
    @blp.response(200, HistoryEntrySchema(many=True))
    def get(self) -> Any:
        """Your own account's history: every change, who made it, when, who approved it."""
        return log.history(current_user().id)


@blp.route("/me/contact")
class OwnContact(MethodView):
    @blp.response(200, ContactSchema)
    def get(self) -> Any:
        """Your work phone and e-mail, as parents see them on the courses you lead."""
        return current_user()

    @blp.arguments(ContactSchema)
    @blp.response(200, ContactSchema)
    def patch(self, data: dict[str, str]) -> Any:
        """Change your work phone or e-mail (empty clears one); parents see them on the pages,
        letters and PDFs of the courses you lead, from the next one made."""
        me = current_user()
        contact.apply(me, data)
        db.session.commit()
        return me
