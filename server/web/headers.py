"""The security headers of every answer, decided in one place (issue 19, finding 7).

Why not flask-talisman: its last release and commit are from 2023, it is untyped (mypy strict),
it rewrites the session cookie's settings, redirects to HTTPS itself (the load balancer ends
TLS here), trusts X-Forwarded-Proto from anyone for HSTS, and knows neither COOP nor
Cache-Control, which is the larger half of this job. What it would save is a dozen lines.

Two rules hold for every answer, with no route able to opt out by accident:

- **Headers**: a Content-Security-Policy without ``'unsafe-inline'`` scripts, framing refused
  (``frame-ancestors 'none'`` and X-Frame-Options for old browsers), ``nosniff``,
  ``Referrer-Policy: no-referrer`` (parents' links carry their secret in the URL), COOP and
  CORP same-origin, a Permissions-Policy, and HSTS in production or over HTTPS.
- **Caching**: ``Cache-Control: no-store`` on every answer, overriding what a route set,
  except the few endpoints listed in ``PUBLIC`` that carry no child's data (the app's build
  files). A new route is therefore no-store until someone decides otherwise here. The offline
  apps keep what they need in their service workers' caches, which no-store does not touch.
"""

from __future__ import annotations

import base64
import hashlib

from flask import Flask, Response, current_app, request

from server.reports.chart import COLORS

# Endpoints whose answers carry no child's data and keep the caching their route chose:
# the hashed build assets (a year), the app shell and the root files of the build (revalidated
# so an update arrives) and the parents' service worker script.
PUBLIC = frozenset({"web.assets", "web.app_shell", "parent.service_worker"})
NO_STORE = "no-store"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# The inline <script> and <style> of server/parents/templates/parent/base.html. A published
# report's page is rendered once and served as kept (server/reports/frozen.py), so a page published
# today carries today's block for years: add the hash of a changed block, never replace one
# (tests/attack/test_security_headers.py checks that the template's blocks are listed).
PARENT_SCRIPT_HASHES = ("'sha256-AiTKRtPHYPi+hm3rroHyIkM1Wp8LiKEVQLrBVCYVTAs='",)
PARENT_STYLE_HASHES = (
    "'sha256-WTujYbSuVQ0jBRT7xw2VKnYYxrs+rqVh1+iqM47NeKQ='",
    # Issue 21: the municipality's header and the contact footer, the explained words.
    "'sha256-KBlB4oTlo1UXn+HxX1paot8JpCMDDA9uP5rauFb7j3Q='",
    # Issue 21: the comment's sharing box, the scaling table that scrolls from the newest
    # meeting, the marker beside each name.
    "'sha256-iJ5l3g9gFecq9nO4hedosb7eK2q/rUDdoK+otD+UuVo='",
    # Issue 21, point 8: the language switch ("English" / "Dansk") at the top of every page.
    "'sha256-gUCRDCh0+dgZh9GNArnWO3sgJ0//wVWvoGIAUG89A7w='",
)
API_DOCS_STYLE_HASHES = ("'sha256-4sV9n9F1c+dT0cVpBeLrywWYPnbQXEN7w+YwCVU0448='",)
# The style attributes the report page writes: the minutes' line breaks, and the colour of
# each line's swatch in the scaling table of pages published before the swatch became the
# line's marker drawn in SVG (the same palette, server/reports/chart.py; kept pages keep it).
PARENT_STYLE_ATTRIBUTES = (
    "white-space: pre-line",
    *(f"border-color: {color}" for color in COLORS),
)

# The staff app: Preact sets style={...} through the CSSOM (element.style), which CSP does
# not govern, so it needs no inline style at all. The photo codecs compile WebAssembly in a
# module worker loaded from /assets/ ('wasm-unsafe-eval', worker-src 'self'); the tablet shows
# photos it holds through object URLs (blob:). Nothing uses data: URLs.
_APP = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self'",
    "img-src": "'self' blob:",
    "worker-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "object-src": "'none'",
}
# Pages rendered on the server (parents' pages, the API reference): exactly their known inline
# blocks by hash, and the report page's known style attributes ('unsafe-hashes' admits
# attributes by hash only, never inline scripts or event handlers).
_PAGES = {
    **_APP,
    "script-src": " ".join(("'self'", *PARENT_SCRIPT_HASHES)),
    "style-src": " ".join(
        (
            "'self'",
            "'unsafe-hashes'",
            *PARENT_STYLE_HASHES,
            *API_DOCS_STYLE_HASHES,
            *(_sha256(text) for text in PARENT_STYLE_ATTRIBUTES),
        )
    ),
}


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


APP_CSP = _policy(_APP)
PAGES_CSP = _policy(_PAGES)

# The tablet takes photos through <input type="file" capture>, which needs no permission;
# camera stays allowed for this origin only in case the app ever opens the camera itself.
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"

# The same on every answer, whatever the route.
FIXED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def init_app(app: Flask) -> None:
    """Set the headers on every answer Flask makes, error answers included."""
    app.after_request(secure)


def secure(resp: Response) -> Response:
    """The headers of one answer (an after_request hook: it runs after the blueprints' own, so
    what it sets wins)."""
    resp.headers.update(FIXED)
    resp.headers["Content-Security-Policy"] = PAGES_CSP if _is_page() else APP_CSP
    # As with the Secure cookies (server/config.py): everywhere but a developer's machine,
    # whatever scheme the load balancer forwarded the request with.
    if current_app.config["TRIVSEL_ENV"] not in ("development", "testing") or request.is_secure:
        max_age = int(current_app.config["HSTS_MAX_AGE"])
        resp.headers["Strict-Transport-Security"] = f"max-age={max_age}"
    if request.endpoint not in PUBLIC or resp.status_code >= 400:
        resp.headers["Cache-Control"] = NO_STORE
        resp.headers.pop("Expires", None)
    elif "Cache-Control" not in resp.headers:
        resp.headers["Cache-Control"] = "no-cache"
    return resp


def _is_page() -> bool:
    # The parents' pages are one blueprint with parts nested in it (server/blueprints.py).
    return "parent" in request.blueprints or request.endpoint == "web.api_docs"


def fixed_headers() -> list[tuple[str, str]]:
    """Headers for an answer made outside Flask (gunicorn's own refusals of malformed
    requests, server/gunicorn_worker.py): they carry no data and no page."""
    return [*FIXED.items(), ("Content-Security-Policy", APP_CSP), ("Cache-Control", NO_STORE)]
