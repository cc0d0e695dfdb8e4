"""Photo bytes: ask which are missing, upload (whole or resumable), download if allowed."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from server import audit
from server.access import course_clause
from server.auth.current import current_user
from server.blob_store import blob_store
from server.errors import ApiError
from server.extensions import db
from server.models import BoardPhoto, Course
from sync.blobs import BlobError, BlobOffsetMismatch, BlobStore, check_hash

blp = Blueprint("blobs", __name__, url_prefix="/api/blobs", description="Photo bytes")

MAX_HASHES = 1000
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
WRITER_ROLES = ("family_unit", "educator", "psychologist")


class HashList(Schema):
    hashes = fields.List(fields.String(validate=validate.Regexp(r"^[0-9a-f]{64}$")),
                         required=True, validate=validate.Length(max=MAX_HASHES))


class Missing(Schema):
    missing = fields.List(fields.String())


class UploadState(Schema):
    received = fields.Integer()
    complete = fields.Boolean()


@blp.route("/missing")
class MissingBlobs(MethodView):
    @blp.arguments(HashList)
    @blp.response(200, Missing)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Which of these photos the server does not have yet (send only those)."""
        current_user()
        return {"missing": blob_store().missing(body["hashes"])}


@blp.route("/<digest>")
class Blob(MethodView):
    @blp.response(200, UploadState)
    def put(self, digest: str) -> dict[str, Any]:
        """Upload a photo's bytes under their SHA-256, whole or in ranges.

        Send ``Content-Type`` (image/jpeg, image/png or image/webp). For a resumable upload
        send ``Content-Range: bytes <first>-<last>/<total>``; after an interruption, GET
        ``/api/blobs/<sha256>/upload`` tells where to continue.
        """
        user = current_user()
        if user.role not in WRITER_ROLES:
            raise ApiError(403, "Your role may not upload photos.", "forbidden")
        store = blob_store()
        content_type = (request.mimetype or "").lower()
        try:
            span = request.headers.get("Content-Range")
            if span is None:
                store.put(digest, request.stream, content_type)
                return {"received": _size(store, digest), "complete": True}
            match = _RANGE.match(span)
            if match is None:
                raise ApiError(400, "Content-Range must be 'bytes <first>-<last>/<total>'.",
                               "bad_range", {"Content-Range": ["Malformed."]})
            first, last, total = (int(g) for g in match.groups())
            chunk = request.get_data()
            if last - first + 1 != len(chunk):
                raise ApiError(400, "Content-Range does not match the body's length.",
                               "bad_range", {"Content-Range": ["Length differs."]})
            done = store.put_range(digest, first, chunk, total, content_type)
        except BlobOffsetMismatch as exc:
            raise ApiError(409, f"Continue the upload at byte {exc.expected}.",
                           "offset_mismatch", {"Content-Range": [f"Start at {exc.expected}."]}
                           ) from exc
        except BlobError as exc:
            raise ApiError(exc.status, str(exc), exc.code) from exc
        if done is None:
            return {"received": store.partial_length(digest), "complete": False}
        return {"received": total, "complete": True}

    def get(self, digest: str) -> Response:
        """The photo (``?size=thumb`` for the thumbnail), for people who may see a board
        photo record that uses it; 404 for everyone else."""
        user = current_user()
        try:
            check_hash(digest)
        except BlobError as exc:
            raise ApiError(404, "Not found.", "not_found") from exc
        photo = db.session.scalars(
            select(BoardPhoto)
            .join(Course, Course.id == BoardPhoto.course_id)
            .where(BoardPhoto.content_hash == digest, BoardPhoto.deleted_at.is_(None),
                   course_clause(user))
            .limit(1)
        ).first()
        store = blob_store()
        if photo is None or not store.has(digest):
            raise ApiError(404, "Not found.", "not_found")
        course = db.session.get(Course, photo.course_id)
        audit.record("read", "board_photo", photo.id, course.child_id if course else None,
                     "bytes")
        db.session.commit()
        variant = "thumb" if request.args.get("size") == "thumb" else "original"
        mimetype = "image/jpeg" if variant == "thumb" else photo.content_type
        resp = send_file(store.path(digest, variant), mimetype=mimetype, max_age=0)
        # Child data: only this browser may keep it, and only after asking again.
        resp.headers["Cache-Control"] = "private, no-cache"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        return resp


@blp.route("/<digest>/upload")
class UploadProgress(MethodView):
    @blp.response(200, UploadState)
    def get(self, digest: str) -> dict[str, Any]:
        """How much of a resumable upload the server holds."""
        current_user()
        store = blob_store()
        try:
            complete = store.has(digest)
            received = _size(store, digest) if complete else store.partial_length(digest)
        except BlobError as exc:
            raise ApiError(exc.status, str(exc), exc.code) from exc
        return {"received": received, "complete": complete}


def _size(store: BlobStore, digest: str) -> int:
    return store.path(digest).stat().st_size if store.has(digest) else 0
