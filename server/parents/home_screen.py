"""The parents' pages as something a phone can put on its home screen (issue 21: "Føj til
hjemmeskærm" gives a parent a way back that does not depend on finding the message again).

``display: browser``: the icon opens the pages in the phone's browser, with the browser's
cookies. A standalone web app on iOS keeps cookies of its own, so a phone that opened its
personal link in Safari would find no access behind the icon; and MitID's app hands the
sign-in back to the browser, not to a standalone window."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, send_file

from server.parents import language
from server.text import LANGUAGES, catalogue, da

STATIC = Path(__file__).parent / "static"

bp = Blueprint("parent_home", __name__)

MANIFEST = {
    "name": da.T["home_name"],
    "short_name": "Trivsel",
    "lang": "da",
    "start_url": "/p/",
    "scope": "/p/",
    "display": "browser",
    "background_color": "#ffffff",
    "theme_color": "#1f5f5b",
    "icons": [
        {"src": "/p/icon.svg", "sizes": "any", "type": "image/svg+xml"},
        {"src": "/p/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/p/icon-512.png", "sizes": "512x512", "type": "image/png"},
    ],
}
# The manifest in each language (issue 21): the home screen's name is the parent's language.
_MANIFEST_BODIES = {
    code: json.dumps(
        {**MANIFEST, "name": catalogue(code).T["home_name"], "lang": code},
        ensure_ascii=False,
        indent=1,
    )
    for code in LANGUAGES
}


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest (its registered type, which browsers expect), in the phone's
    language."""
    body = _MANIFEST_BODIES[language.current()]
    return Response(body, mimetype="application/manifest+json")


@bp.get("/icon.svg")
def icon_svg() -> Response:
    return send_file(STATIC / "icon.svg", mimetype="image/svg+xml")


@bp.get("/icon-192.png")
def icon_192() -> Response:
    return send_file(STATIC / "icon-192.png", mimetype="image/png")


@bp.get("/icon-512.png")
def icon_512() -> Response:
    return send_file(STATIC / "icon-512.png", mimetype="image/png")


@bp.get("/apple-touch-icon.png")
def apple_touch_icon() -> Response:
    """iOS reads no manifest icon: it takes the page's apple-touch-icon link (180 px)."""
    return send_file(STATIC / "apple-touch-icon.png", mimetype="image/png")
