"""Photo bytes: ask which are missing, upload them whole, download them if allowed.

Knowing a photo's hash gives nothing (server/photos/access.py): the bytes are served only
through a record the caller may read whose author proved possession, and the server never
says that it holds a photo to someone who has not uploaded it and cannot read it.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from server import audit
from server.access import child_of_course
from server.auth.current import current_user
from server.errors import ApiError
from server.extensions import db
from server.photos.access import known_to, readable_photo, record_upload
from server.photos.blobs import BlobError, ObjectMissing, check_hash
from server.photos.store import blob_store, send_stored

blp = Blueprint("blobs", __name__, url_prefix="/api/blobs", description="Photo bytes")

MAX_HASHES = 1000
WRITER_ROLES = ("family_unit", "educator", "psychologist")
SIZES = ("original", "thumb", "display")


class HashList(Schema):
    hashes = fields.List(
        fields.String(validate=validate.Regexp(r"^[0-9a-f]{64}$")),
        required=True,
        validate=validate.Length(max=MAX_HASHES),
    )


class Missing(Schema):
    missing = fields.List(fields.String())


class Received(Schema):
    received = fields.Integer(metadata={"description": "Bytes received and verified."})


class SizeQuery(Schema):
    size = fields.String(
        load_default="original",
        validate=validate.OneOf(SIZES),
        metadata={
            "description": "thumb: 320 px JPEG; display: 1000 px JPEG; original: the cleaned photo"
        },
    )


@blp.route("/missing")
class MissingBlobs(MethodView):
    @blp.arguments(HashList)
    @blp.response(200, Missing)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Which of these photos to upload: all but those you have uploaded or may read.

        A photo someone else uploaded and you cannot read is answered "missing": upload it
        and it is recorded as yours (proof of possession) without being stored twice.
        """
        known = known_to(current_user(), body["hashes"])
        missing: list[str] = []
        for digest in body["hashes"]:
            if digest not in known and digest not in missing:
                missing.append(digest)
        return {"missing": missing}


@blp.route("/<digest>")
class Blob(MethodView):
    @blp.response(200, Received)
    def put(self, digest: str) -> dict[str, int]:
        """Upload a photo's bytes, whole, under their SHA-256.

        Send ``Content-Type`` image/jpeg, image/png or image/webp. The bytes are checked
        against the hash and the type, refused from their header when the picture has more
        pixels than allowed, decoded once, and stored without metadata. An interrupted
        upload stores nothing; send it again.
        """
        user = current_user()
        if user.role not in WRITER_ROLES:
            raise ApiError(403, "Your role may not upload photos.", "forbidden")
        limit = current_app.config["BLOB_MAX_BYTES"]
        data = request.stream.read(limit + 1)  # one byte more tells "too large" apart
        try:
            accepted = blob_store().put(digest, data, (request.mimetype or "").lower())
        except BlobError as exc:
            raise ApiError(exc.status, str(exc), exc.code, _fields(exc)) from exc
        record_upload(user, accepted)
        db.session.commit()
        return {"received": accepted.sent}  # the same whether the photo was new or not

    @blp.arguments(SizeQuery, location="query")
    @blp.response(200, content_type="image/jpeg")
    def get(self, query: dict[str, Any], digest: str) -> Response:
        """The photo, its thumbnail or its display copy, for people who may read a board
        photo record that carries it (and whose author uploaded it); 404 for everyone else."""
        user = current_user()
        try:
            check_hash(digest)
        except BlobError as exc:
            raise ApiError(404, "Not found.", "not_found") from exc
        found = readable_photo(user, digest)
        if found is None:
            raise ApiError(404, "Not found.", "not_found")
        photo, upload = found
        variant = query["size"]
        try:
            stored = blob_store().open(digest, variant)
        except ObjectMissing as exc:
            raise ApiError(404, "Not found.", "not_found") from exc
        audit.record(
            "read",
            "board_photo",
            photo.id,
            child_of_course(photo.course_id),
            "bytes" if variant == "original" else variant,
        )
        db.session.commit()
        mimetype = upload.content_type if variant == "original" else "image/jpeg"
        return send_stored(stored, mimetype)  # no-store, as every answer with child data


def _fields(exc: BlobError) -> dict[str, list[str]]:
    """Which part of the request the refusal is about."""
    if exc.code in ("unsupported_media_type",):
        return {"Content-Type": [str(exc)]}
    if exc.code == "bad_hash":
        return {"digest": [str(exc)]}
    return {"body": [str(exc)]}
