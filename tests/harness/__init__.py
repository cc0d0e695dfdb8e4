"""One test harness for every suite (issue 24, point 2), after Kinto's
``kinto/core/testing.py``: the testing settings with overrides, a migrated database (one
migration run per test process), the app built on it and the demo data, gunicorn on a free
port, sign-in over HTTP with the CSRF token, the two clients, and polling.

    settings(folder, database_url, **overrides)   the testing configuration
    migrated_database_url / empty_database_url     a database of a test's own
    migrated_app(env, demo_password)               create_app on it, demo data loaded
    gunicorn(env) / Gunicorn                       the app served over real HTTP
    sign_in(base, email, password)                 a requests session signed in
    ApiClient / HttpClient (both a Client)         the PWA's way of calling the API
    wait_until(check, timeout, what)               poll another process's progress

The fixtures (``app``, ``demo``, ``as_user``, ``inbox``…) are in ``tests.harness.fixtures``.
Tests never import other test modules: what two suites share lives here or in a helper
module of the suite.
"""

from tests.harness.app import AppPool, demo_ids, migrated_app
from tests.harness.client import (
    SYNC,
    Answer,
    ApiClient,
    Client,
    HttpAnswer,
    HttpClient,
    sign_in,
)
from tests.harness.database import (
    empty_all_tables,
    empty_database_url,
    is_postgres,
    migrated_database_url,
)
from tests.harness.mail import Inbox, smtp_inbox
from tests.harness.polling import wait_until
from tests.harness.served import (
    ROOT,
    VENV_BIN,
    Gunicorn,
    free_port,
    gunicorn,
    redis_server,
    stop,
    wait_for,
)
from tests.harness.settings import STORES, settings
from tests.harness.threaded import ThreadedWsgi, served_on_thread

__all__ = [
    "ROOT",
    "STORES",
    "SYNC",
    "VENV_BIN",
    "Answer",
    "ApiClient",
    "AppPool",
    "Client",
    "Gunicorn",
    "HttpAnswer",
    "HttpClient",
    "Inbox",
    "ThreadedWsgi",
    "demo_ids",
    "empty_all_tables",
    "empty_database_url",
    "free_port",
    "gunicorn",
    "is_postgres",
    "migrated_app",
    "migrated_database_url",
    "redis_server",
    "served_on_thread",
    "settings",
    "sign_in",
    "smtp_inbox",
    "stop",
    "wait_for",
    "wait_until",
]
