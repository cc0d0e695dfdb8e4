"""Staff users, managed by admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, select

from server.auth.current import current_user, require_roles
from server.auth.passwords import hash_password
from server.errors import ApiError
from server.extensions import db
from server.models import Institution, User
from server.users.schemas import UserSchema

blp = Blueprint("users", __name__, url_prefix="/api/users", description="Staff (admin only)")


def _get(user_id: str) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise ApiError(404, "Not found.", "not_found")
    return user


def _refuse_own_access_change(user: User, data: dict[str, Any]) -> None:
    """Nobody changes their own role or institution, or deactivates themselves: an admin who
    could would give themselves a staff role and read children's data (or lock the
    municipality out of its last admin account). Another admin must do it."""
    if user.id != current_user().id:
        return
    fields: dict[str, list[str]] = {name: ["You cannot change this on your own account."]
              for name in ("role", "institution_id")
              if name in data and data[name] != getattr(user, name)}
    if data.get("active") is False:
        fields["active"] = ["You cannot deactivate your own account."]
    if fields:
        raise ApiError(403, "Nobody may change their own role, institution or access; "
                       "ask another administrator.", "own_account", fields)


def _apply(user: User, data: dict[str, Any]) -> None:
    """Set fields, hashing a new password and checking the cross-field rules."""
    if "email" in data:
        data["email"] = data["email"].strip().lower()
        clash = db.session.scalar(
            select(User.id).where(func.lower(User.email) == data["email"], User.id != user.id)
        )
        if clash:
            raise ApiError(409, "A user with this e-mail exists already.", "email_taken",
                           {"email": ["This e-mail is taken."]})
    if "password" in data:
        user.password_hash = hash_password(data.pop("password"))
    for name, value in data.items():
        setattr(user, name, value)
    if user.institution_id and db.session.get(Institution, user.institution_id) is None:
        raise ApiError(422, "Unknown institution.", "invalid",
                       {"institution_id": ["No such institution."]})
    if user.role == "educator" and not user.institution_id:
        raise ApiError(422, "An educator must belong to an institution.", "invalid",
                       {"institution_id": ["Choose the educator's institution."]})


@blp.route("")
class Users(MethodView):
    decorators = [require_roles("admin")]

    @blp.response(200, UserSchema(many=True))
    def get(self) -> Any:
        """List staff users."""
        return list(db.session.scalars(select(User).order_by(User.name)))

    @blp.arguments(UserSchema)
    @blp.response(201, UserSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a staff user."""
        user = User(email="", name="", role="", password_hash="")
        _apply(user, data)
        db.session.add(user)
        db.session.commit()
        return user


@blp.route("/<user_id>")
class UserById(MethodView):
    decorators = [require_roles("admin")]

    @blp.response(200, UserSchema)
    def get(self, user_id: str) -> Any:
        """Read a staff user."""
        return _get(user_id)

    @blp.arguments(UserSchema(partial=True))
    @blp.response(200, UserSchema)
    def patch(self, data: dict[str, Any], user_id: str) -> Any:
        """Change a staff user (a new password, a role, deactivation).

        A change of role, institution or password, and deactivation, end all of the user's
        sessions; nobody may change their own role or institution or deactivate themselves."""
        user = _get(user_id)
        _refuse_own_access_change(user, data)
        _apply(user, data)
        db.session.commit()
        return user

    @blp.response(204)
    def delete(self, user_id: str) -> None:
        """Deactivate a staff user (kept: courses and the audit log refer to them); their
        sessions end at once and stay ended if the user is reactivated."""
        user = _get(user_id)
        _refuse_own_access_change(user, {"active": False})
        user.active = False
        db.session.commit()
