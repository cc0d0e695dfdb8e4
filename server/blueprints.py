"""Every blueprint of the app, in one list: ``create_app`` registers these and no others,
and no module adds a route to another module's blueprint.

The API's blueprints (flask-smorest) go into the OpenAPI document; the pages' blueprints
(plain Flask) do not. The parents' pages are one blueprint under /p/ with their parts nested
in it, so that its one refusal page and its header hooks (server/parents/routes.py) cover
every part.
"""

from __future__ import annotations

from flask import Flask

from server.auth.oidc_routes import blp as oidc
from server.auth.password_routes import blp as passwords
from server.auth.routes import blp as auth
from server.children.routes import blp as children
from server.courses.routes import blp as courses
from server.devices.routes import blp as devices
from server.extensions import api_of
from server.institutions.routes import blp as institutions
from server.letters.delivery_routes import blp as letters
from server.letters.receipt_routes import bp as beskedfordeler
from server.letters.routes import blp as outbox
from server.meetings.parts_routes import blp as meeting_parts
from server.meetings.routes import blp as meetings
from server.ops.health import bp as health
from server.ops.metrics import bp as metrics
from server.parents.attachment_routes import bp as parent_attachments
from server.parents.comment_routes import bp as parent_comments
from server.parents.consent_routes import bp as parent_consent
from server.parents.home_screen import bp as parent_home
from server.parents.language import bp as parent_language
from server.parents.letter_routes import bp as parent_letters
from server.parents.mitid_routes import bp as parent_mitid
from server.parents.routes import bp as parent_pages
from server.parents.sender import bp as parent_sender
from server.photos.routes import blp as photos
from server.photos.suggestion_routes import blp as photo_suggestions
from server.reports.routes import blp as reports
from server.sync.routes import blp as sync
from server.users.routes import blp as users
from server.web.routes import bp as web

# The API, /api/… (flask-smorest: in the OpenAPI document).
API = (
    auth,  # /api/auth: sign-in
    passwords,  # /api/auth: one's own password and history
    oidc,  # /api/auth/oidc, /api/auth/methods: the municipality's login
    institutions,  # /api/institutions
    users,  # /api/users
    children,  # /api/children, /api/guardians
    courses,  # /api/courses, tasks, consents, attachments
    meetings,  # /api/meetings
    meeting_parts,  # /api/participants, board notes and photos, agreements, minutes, …
    reports,  # /api/reports, readings, filings, parent comments
    outbox,  # /api/admin/outbox: delivery of the letters
    letters,  # /api/meetings/<id>/letters: a meeting's letters and their delivery
    sync,  # /api/sync: push and pull
    photos,  # /api/blobs: photo bytes
    photo_suggestions,  # /api/photos/<id>/suggestions: notes found in a board photo
    devices,  # /api/devices: the keys that open what a tablet stores
)
# Parts of the parents' pages, nested in their blueprint below.
PARENT_PARTS = (
    parent_comments,  # /p/reports/<meeting>/comments, /p/comments/<id>/withdraw
    parent_consent,  # /p/consent
    parent_attachments,  # /p/attachments
    parent_mitid,  # /p/login, /p/login/start, /p/login/callback, /p/logout: MitID
    parent_home,  # /p/manifest.webmanifest and its icons
    parent_sender,  # /p/logo, and the municipality in the pages' layout
    parent_letters,  # /p/letters: the letters sent (agenda letters)
    parent_language,  # /p/language/<da|en>: the parent's choice of language
)
# Everything else (plain Flask).
PAGES = (
    health,  # /healthz, /readyz
    metrics,  # /metrics
    parent_pages,  # /p/: the parents' pages, with PARENT_PARTS
    web,  # the tablet app's shell and build files, /api/docs
    beskedfordeler,  # /beskedfordeler/PostStatusBeskedModtag: Digital Post's receipts
)

# Nested once, when this module is first imported: a blueprint cannot change after an app has
# registered it, and tests build many apps in one process.
for _part in PARENT_PARTS:
    parent_pages.register_blueprint(_part)


def register_blueprints(app: Flask) -> None:
    """Register every blueprint on ``app``."""
    api = api_of(app)
    for blp in API:
        api.register_blueprint(blp)
    for bp in PAGES:
        app.register_blueprint(bp)
