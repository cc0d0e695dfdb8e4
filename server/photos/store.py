"""The app's object store and photo store (one per process, made on first use from the
configuration), and sending a stored object as an HTTP answer."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from flask import Flask, Response, current_app, request

from server.errors import error_response
from server.ops.faults import STORE_FAULTS
from server.photos.blobs import PhotoStore
from server.photos.storage import (
    ObjectMissing,
    ObjectStore,
    Readable,
    Stored,
    StoreError,
    StoreFull,
    open_store,
)
from server.text import da

_CHUNK = 64 * 1024
# How long a client is asked to wait before it tries again while the store is away (the
# tablet keeps the photo meanwhile: pwa/src/photos/sync.ts retries anything but a refusal).
RETRY_AFTER_SECONDS = 30


def init_app(app: Flask) -> None:
    """A store that cannot take or give a file now is the store's fault, not the request's:
    503 (unreachable) or 507 (no room), each with Retry-After, in the one error shape; never
    a 500. The request's database work is rolled back with it (no row names a file that
    was not stored)."""

    @app.errorhandler(StoreError)
    def _store_fault(exc: StoreError) -> Response:
        if isinstance(exc, ObjectMissing):  # a key the database named is gone: a real fault
            app.logger.exception("Unhandled error on %s %s", request.method, request.path)
            return error_response(500, "server_error", "Something went wrong on the server.")
        full = isinstance(exc, StoreFull)
        STORE_FAULTS.labels("objects", "full" if full else "unreachable").inc()
        app.logger.error(
            "Object store %s on %s %s: %s",
            "full" if full else "unreachable",
            request.method,
            request.path,
            exc,
        )
        if full:
            resp = error_response(
                507,
                "insufficient_storage",
                "The server has no room to store this now. Nothing was stored; your device "
                "keeps it and sends it again later.",
            )
        else:
            resp = error_response(
                503,
                "store_unavailable",
                "The file store cannot be reached just now. Nothing was stored; your device "
                "keeps it and sends it again later.",
            )
        resp.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return resp


def unavailable_photo() -> Response:
    """What a parent's phone shows in a photo's place while the store is away: a picture
    that says so in Danish (an <img> shows a picture, not an error page), 503 with
    Retry-After, so nothing keeps it as the photo."""
    text = escape(da.T["photo_unavailable"])
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" '
        f'viewBox="0 0 640 360" role="img" aria-label="{text}">'
        '<rect width="640" height="360" fill="#eeeeee"/>'
        '<text x="320" y="185" font-family="sans-serif" font-size="22" fill="#333333" '
        f'text-anchor="middle">{text}</text></svg>'
    )
    resp = Response(svg, status=503, mimetype="image/svg+xml")
    resp.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return resp


def object_store() -> ObjectStore:
    """Every stored file: photos, documents, filed reports (BLOB_STORE_URL, or the folders)."""
    store: ObjectStore | None = current_app.extensions.get("trivsel_objects")
    if store is None:
        config = current_app.config
        store = open_store(
            config["BLOB_STORE_URL"],
            {
                "photos": config["BLOB_DIR"],
                "documents": config["ATTACHMENT_DIR"],
                "filing": config["FILING_DIR"],
            },
            config["BLOB_STORE_S3"],
        )
        current_app.extensions["trivsel_objects"] = store
    return store


def blob_store() -> PhotoStore:
    """Board photos and their thumbnails and display copies."""
    photos: PhotoStore | None = current_app.extensions.get("trivsel_photos")
    if photos is None:
        photos = PhotoStore(
            object_store(),
            current_app.config["BLOB_MAX_BYTES"],
            current_app.config["IMAGE_MAX_PIXELS"],
        )
        current_app.extensions["trivsel_photos"] = photos
    return photos


def send_stored(
    stored: Stored, mimetype: str, *, etag: str | None = None, disposition: str | None = None
) -> Response:
    """Stream a stored object through the app, after the caller's access check.

    Never a redirect to the store: a presigned URL would work for anyone who holds it for
    its lifetime, would need the store reachable from parents' phones, and would bypass the
    headers every answer gets (no-store, nosniff: server/web/headers.py).
    """
    resp = Response(_chunks(stored.stream), mimetype=mimetype, direct_passthrough=True)
    resp.call_on_close(stored.stream.close)
    resp.content_length = stored.size
    if disposition:
        resp.headers["Content-Disposition"] = disposition
    if etag:
        resp.set_etag(etag)
        resp.make_conditional(request)  # 304 when the phone has this copy already
    return resp


def _chunks(stream: Readable) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk
