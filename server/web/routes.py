"""Serving the built PWA and the offline API reference page.

Caching: index.html and the service worker must never be cached by the browser's HTTP cache
(or an update could never arrive); Vite's hashed assets never change, so they are cached
for a year.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

from server.extensions import api_of

bp = Blueprint("web", __name__, template_folder="../templates")

NO_CACHE = "no-cache, no-store, must-revalidate"
IMMUTABLE = "public, max-age=31536000, immutable"
_SUFFIX = {"br": "br", "gzip": "gz"}  # the build's compressed copies; br wins a tie
_ROOT_FILES = ("sw.js", "manifest.webmanifest", "registerSW.js", "robots.txt")


def _dist() -> Path:
    return Path(current_app.config["PWA_DIST"])


def _index() -> Response:
    index = _dist() / "index.html"
    if not index.is_file():
        return Response(
            "The app is not built yet: run 'make run' (or 'npm run build' in pwa/).",
            status=503,
            mimetype="text/plain",
        )
    resp = send_from_directory(_dist(), "index.html")
    resp.headers["Cache-Control"] = NO_CACHE
    return resp


@bp.route("/api/docs")
def api_docs() -> str:
    """A readable API reference rendered on the server from the OpenAPI document."""
    return render_template("api_docs.html", spec=api_of(current_app).spec.to_dict())


@bp.route("/assets/<path:filename>")
def assets(filename: str) -> Response:
    """Hashed build assets: cached for a year, sent as the build's Brotli or gzip copy when the
    browser takes it (pwa/scripts/precompress.mjs; public files, so no BREACH concern)."""
    folder = _dist() / "assets"
    encoding = _precompressed(folder, filename)
    if encoding is None:
        resp = send_from_directory(folder, filename)
    else:
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        resp = send_from_directory(folder, f"{filename}.{_SUFFIX[encoding]}", mimetype=mimetype)
        resp.headers["Content-Encoding"] = encoding
    resp.headers["Cache-Control"] = IMMUTABLE
    resp.vary.add("Accept-Encoding")
    return resp


def _precompressed(folder: Path, filename: str) -> str | None:
    """The encoding, among those the build made a copy in, that the browser prefers."""
    made = [
        encoding for encoding, suffix in _SUFFIX.items() if _is_file(folder, f"{filename}.{suffix}")
    ]
    return request.accept_encodings.best_match(made)


def _is_file(folder: Path, name: str) -> bool:
    """A file inside ``folder``; False, not an error, for a name the disk cannot hold."""
    path = safe_join(str(folder), name)
    return path is not None and os.path.isfile(path)


@bp.route("/", defaults={"path": ""})
@bp.route("/<path:path>")
def app_shell(path: str) -> Response:
    """Root files of the build, or the app shell for any client-side route."""
    if path.startswith("api/"):
        raise NotFound()
    candidate = _dist() / path
    if path and os.path.isfile(candidate) and candidate.resolve().is_relative_to(_dist().resolve()):
        resp = send_from_directory(_dist(), path)
        if path in _ROOT_FILES or path.endswith(".html"):
            resp.headers["Cache-Control"] = NO_CACHE
        return resp
    return _index()
