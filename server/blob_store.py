"""The app's photo store (one per app, made on first use)."""

from __future__ import annotations

from flask import current_app

from sync.blobs import BlobStore


def blob_store() -> BlobStore:
    store = current_app.extensions.get("trivsel_blobs")
    if store is None:
        store = BlobStore(current_app.config["BLOB_DIR"], current_app.config["BLOB_MAX_BYTES"])
        current_app.extensions["trivsel_blobs"] = store
    return store
