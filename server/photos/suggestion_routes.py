"""GET /api/photos/<id>/suggestions: the notes the server found in a board photo.

Access is the photo's own: the record must be live and readable by the caller (everyone
else gets 404, as for the record), and its bytes backed (server/photos/access.py). Each
answer is a read of the photo in the audit log, since the crops are parts of it.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from werkzeug.exceptions import ServiceUnavailable

from server import audit
from server.access import child_of_course
from server.auth.current import current_user
from server.errors import ApiError
from server.extensions import db
from server.kinds import BOARD_PHOTO
from server.photos.access import is_uploaded
from server.photos.blobs import ObjectMissing
from server.photos.store import blob_store
from server.photos.suggestions import Busy, suggestions_for
from server.records import rest

BUSY_RETRY_SECONDS = 5  # about one board's reading

blp = Blueprint(
    "photo_suggestions", __name__, url_prefix="/api", description="Notes found in a board photo"
)


class SuggestionSchema(Schema):
    column = fields.String(metadata={"description": "worries, working or next_steps"})
    text = fields.String(
        allow_none=True,
        metadata={"description": "What the note says, when read well enough; else null."},
    )
    confidence = fields.Float(metadata={"description": "The reading's confidence, 0-100."})
    crop = fields.String(metadata={"description": "The note cut from the photo: a data: URL."})


class SuggestionsSchema(Schema):
    suggestions = fields.List(fields.Nested(SuggestionSchema))


@blp.route("/photos/<photo_id>/suggestions")
class PhotoSuggestions(MethodView):
    @blp.response(200, SuggestionsSchema)
    def get(self, photo_id: str) -> dict[str, Any]:
        """The sticky notes found in a board photo, each with its column and, where it
        reads well, its text: suggestions for the leader to accept as notes."""
        photo = rest.get_visible(BOARD_PHOTO, current_user(), photo_id)
        # A drawing in the child's three houses is the child's voice, not the board: nothing
        # in it becomes a suggested note (the tablet offers the panel for board photos only).
        if photo.house or not is_uploaded(photo):
            raise ApiError(404, "Not found.", "not_found")
        try:
            data = blob_store().get(photo.content_hash)
        except ObjectMissing as exc:
            raise ApiError(404, "Not found.", "not_found") from exc
        try:
            found = suggestions_for(photo.content_hash, data)
        except Busy as exc:
            raise ServiceUnavailable(retry_after=BUSY_RETRY_SECONDS) from exc
        audit.record(
            "read", "board_photo", photo.id, child_of_course(photo.course_id), "suggestions"
        )
        db.session.commit()
        return {"suggestions": found}
