"""Device keys: a tablet asks for its wrapping key after each sign-in; signing out there
forgets it; an admin closes a lost device, after which its key is refused."""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from server.auth.current import current_user, require_roles
from server.auth.sessions import revoke_all
from server.devices.schemas import DeviceKeySchema, DeviceQuerySchema, DeviceSchema
from server.errors import ApiError
from server.extensions import db
from server.models import DeviceKey
from server.models._common import utcnow

blp = Blueprint("devices", __name__, url_prefix="/api/devices", description="Device keys")


def _own(device_id: UUID) -> DeviceKey | None:
    return db.session.scalar(
        select(DeviceKey).where(
            DeviceKey.user_id == current_user().id, DeviceKey.device_id == str(device_id)
        )
    )


@blp.route("/<uuid:device_id>/key")
class Key(MethodView):
    @blp.response(200, DeviceKeySchema)
    @blp.alt_response(
        403,
        description="The device was closed (device_closed: its key is never given again), or "
        "the sign-in is older than DEVICE_KEY_FRESH_MINUTES (sign_in_not_fresh: the PIN or a "
        "new sign-in opens the device).",
    )
    def post(self, device_id: UUID) -> dict[str, str]:
        """Get this device's wrapping key for the signed-in person (made on first asking).

        A POST (not a GET): it may create the key, and CSRF guards it like any change."""
        now = utcnow()
        # Only just after signing in: a copy of the profile carries the session's cookie, and
        # would otherwise open everything for as long as the session lives.
        fresh = timedelta(minutes=current_app.config["DEVICE_KEY_FRESH_MINUTES"])
        if now - g.auth_session.created_at >= fresh:
            raise ApiError(
                403, "Sign in again (or use the PIN) to open this device.", "sign_in_not_fresh"
            )
        row = _own(device_id)
        if row is None:
            row = DeviceKey(
                user_id=current_user().id,
                device_id=str(device_id),
                key=secrets.token_bytes(32),
                last_used_at=now,
            )
            db.session.add(row)
        elif row.closed_at is not None:
            raise ApiError(403, "This device was closed.", "device_closed")
        row.last_used_at = now
        db.session.commit()
        return {"key": base64.b64encode(row.key).decode("ascii")}

    @blp.response(204)
    def delete(self, device_id: UUID) -> None:
        """Forget this device's key (signing out there): what it stores cannot be opened again."""
        row = _own(device_id)
        if row is not None and row.closed_at is None:
            row.closed_at = utcnow()
            db.session.commit()


@blp.route("")
class Devices(MethodView):
    decorators = [require_roles("admin")]

    @blp.arguments(DeviceQuerySchema, location="query")
    @blp.response(200, DeviceSchema(many=True))
    def get(self, query: dict[str, Any]) -> Any:
        """The devices a person has signed in on, newest first (admin only)."""
        return db.session.scalars(
            select(DeviceKey)
            .where(DeviceKey.user_id == str(query["user_id"]))
            .order_by(DeviceKey.created_at.desc())
        ).all()


@blp.route("/<device_key_id>/close")
class Close(MethodView):
    decorators = [require_roles("admin")]

    @blp.response(200, DeviceSchema)
    def post(self, device_key_id: str) -> DeviceKey:
        """Close a device (lost or stolen): its key is refused from now on, and the person's
        sessions end, so no session still open on that device can ask for a new one."""
        row = db.session.get(DeviceKey, device_key_id)
        if row is None:
            raise ApiError(404, "Not found.", "not_found")
        if row.closed_at is None:
            row.closed_at = utcnow()
            row.closed_by_id = current_user().id
            db.session.execute(revoke_all(row.user_id))
            db.session.commit()
        return row
