"""Trivsel's Flask application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from server.config import Config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides what the environment says (used by tests)."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(Config(config).as_flask_config())
    from server.records.json_input import StrictJSONProvider

    app.json = StrictJSONProvider(app)  # request bodies: see server/records/json_input.py
    # Sorting keys costs a noticeable share of a 1,000-record pull page and helps nobody.
    app.json.sort_keys = False

    from server import models  # noqa: F401 - registers every table on the metadata
    from server.auth import throttle
    from server.extensions import compress, csrf, db, migrate, new_api
    from server.photos import store as photo_store
    from server.web import headers

    headers.init_app(app)  # first, so that it runs last: its headers win on every answer
    _trust_proxies(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), compare_type=True)
    csrf.init_app(app)
    compress.init_app(app)
    throttle.init_app(app)
    new_api().init_app(app)
    photo_store.init_app(app)  # a file store that is away or full: 503/507, never a 500

    from server import ops

    ops.init_app(app)  # logs, request ids, the metrics' settings, `flask jobs`

    with app.app_context():
        from server.database import configure_engine

        configure_engine(db.engine)

    from server.sync.setup import install_change_log

    install_change_log()

    from server.auth.current import require_sign_in
    from server.auth.sessions import load_current_user

    app.before_request(load_current_user)
    app.before_request(require_sign_in)  # before any view looks a record up (issue 19, 8)

    from server.blueprints import register_blueprints

    register_blueprints(app)  # the one list of blueprints

    from server.letters.outbox import install as install_outbox

    install_outbox(app)

    from server.errors import register_error_handlers

    register_error_handlers(app)

    from server.cli import register_cli

    register_cli(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind a load balancer the socket's address is the balancer's: take the client's from
    X-Forwarded-For, as far as the configured number of proxies vouches for it, and only
    when the request came from one of them (``TRUSTED_PROXIES``: server/proxies.py)."""
    hops = int(app.config["TRUSTED_PROXY_HOPS"])
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        from server.proxies import TrustedProxyFix, parse_networks, warn_untrusted

        networks = parse_networks(str(app.config["TRUSTED_PROXIES"]))
        wrapped: Any
        if networks:
            wrapped = TrustedProxyFix(app.wsgi_app, hops, networks)
        else:  # development and tests only: the config refuses this in production
            warn_untrusted(hops)
            wrapped = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
        app.wsgi_app = wrapped  # type: ignore[method-assign]  # Flask's documented middleware hook


def _migrations_dir() -> Any:
    from server.config import ROOT

    return ROOT / "migrations"
