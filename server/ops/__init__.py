"""What a municipality's IT runs the app with: health and readiness, logs with request ids,
Prometheus metrics and the periodic jobs worker. See docs/deploying.md.

This package's modules import nothing heavy at import time: gunicorn.conf.py imports
``server.ops.gunicorn_hooks`` in the master before any worker exists.
"""

from __future__ import annotations

import logging

from flask import Flask


def init_app(app: Flask) -> None:
    """Logging, request tracking, the metrics' settings and the ``jobs`` command (the
    /healthz, /readyz and /metrics blueprints are in server/blueprints.py's list)."""
    from flask.logging import default_handler

    from server.ops import metrics, tracking
    from server.ops.jobs import jobs_command
    from server.ops.logs import configure_logging, resolved_format

    configure_logging(resolved_format(app.config), app.config.get("LOG_LEVEL", "INFO"))
    # Our handler on the root logger replaces Flask's own (it would print every line twice).
    app.logger.removeHandler(default_handler)
    app.logger.setLevel(logging.NOTSET)
    metrics.check_config(app)
    tracking.wrap(app)
    app.cli.add_command(jobs_command)
