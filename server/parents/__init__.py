"""The parents' portal under /p/: invitations, phone sessions, the report pages, comments,
consent, course documents, the access log, and the pages' own script, service worker and
templates."""
