"""The app's object store and photo store (one per process, made on first use from the
configuration), and sending a stored object as an HTTP answer."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response, current_app, request

from server.photos.blobs import PhotoStore
from server.photos.storage import ObjectStore, Readable, Stored, open_store

_CHUNK = 64 * 1024


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
