"""The endpoint KOMBIT's Beskedfordeler pushes Digital Post's receipts to (SF1461
"BeskedFåTilsendt"): ``POST /beskedfordeler/PostStatusBeskedModtag``, the path
itk-dev/beskedfordeler-drupal gives the same subscription.

Trust: the Beskedfordeler calls with its client certificate (mutual TLS). TLS ends at the
municipality's proxy, which checks that certificate against KOMBIT's CA and only then adds
the header ``X-Beskedfordeler-Secret`` holding ``BESKEDFORDELER_SECRET``
(docs/deploying.md, "Delivery receipts"). The app enforces the secret: without it, or with
another, the request is refused (403) and nothing is read. Without the setting, or with
another letter channel than Digital Post, there is no such endpoint (404).

The answer is the contract's ``ModtagBeskedOutput``, not the API's JSON error shape:
``StatusKode`` 20 when the message is taken (also a receipt that changes nothing: the
Beskedfordeler would otherwise push it again and again), 40 with the HTTP error when not.
"""

from __future__ import annotations

import hmac
from xml.etree.ElementTree import Element, SubElement, tostring

from flask import Blueprint, Response, abort, current_app, request

from server.extensions import csrf
from server.letters import beskedfordeler
from server.letters.beskedfordeler import SAGDOK, STS
from server.letters.receipts import record

HEADER = "X-Beskedfordeler-Secret"
# One receipt is a few kilobytes; the Beskedfordeler sends one Haendelsesbesked a call.
MAX_BYTES = 256 * 1024

bp = Blueprint("beskedfordeler", __name__)
# A machine's call trusted by its certificate and the secret, with no session to ride on.
csrf.exempt(bp)


def _answer(code: int, text: str, http: int = 200) -> Response:
    root = Element(f"{{{STS}}}ModtagBeskedOutput")
    retur = SubElement(root, f"{{{SAGDOK}}}StandardRetur")
    SubElement(retur, f"{{{SAGDOK}}}StatusKode").text = str(code)
    SubElement(retur, f"{{{SAGDOK}}}FejlbeskedTekst").text = text
    body = tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, status=http, content_type="application/xml; charset=utf-8")


@bp.post("/beskedfordeler/PostStatusBeskedModtag")
def post_status_besked_modtag() -> Response:
    """Take a PKO_PostStatus pushed by the Beskedfordeler and record it on the letter."""
    config = current_app.config
    secret = str(config["BESKEDFORDELER_SECRET"])
    if config["LETTERS"] != "digital_post" or not secret:
        abort(404)
    given = request.headers.get(HEADER, "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        current_app.logger.warning("Beskedfordeler: a receipt without the secret, refused")
        return _answer(40, "Not trusted.", 403)
    request.max_content_length = MAX_BYTES
    try:
        receipts = beskedfordeler.parse(request.get_data(cache=False))
    except beskedfordeler.Malformed as exc:
        current_app.logger.warning("Beskedfordeler: a message not read: %s", str(exc)[:200])
        return _answer(40, "Not a ModtagBeskedInput with a PKO_PostStatus.", 400)
    changed = record(receipts)
    current_app.logger.info(
        "Beskedfordeler: %d receipt(s), %d letter(s) changed", len(receipts), changed
    )
    return _answer(20, "OK")
