"""The app with parents signing in with MitID at the local provider, served over real HTTP on a
thread, with a published report for Emma (Mette and Lars) and one for Noah (Sara and Ali): for
tests/identity/test_parent_signin.py and tests/browser/test_parent_signin.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

from server.auth.cli import dev_parent_settings, dev_settings
from server.extensions import db
from server.identity.dev_provider import running_provider
from tests.harness import (
    ApiClient,
    demo_ids,
    migrated_app,
    migrated_database_url,
    served_on_thread,
    settings,
)
from tests.server.reporting import fill_meeting, publish, second_child_report
from tests.server.world import created

DEMO_PASSWORD = "parent-signin-demo-password"


@dataclass
class Live:
    url: str
    issuer: str
    app: Flask
    emma_meeting: str
    noah_meeting: str

    def db(self, query: Callable[[], Any]) -> Any:
        """Run ``query`` in the app's context and commit what it changed."""
        with self.app.app_context():
            result = query()
            db.session.commit()
            return result


@contextmanager
def parents_live(tmp: Path) -> Iterator[Live]:
    """The app with parents (and staff) pointed at a provider of its own, until the block
    ends."""
    with served_on_thread() as served, running_provider() as issuer:
        app = migrated_app(
            settings(
                tmp,
                migrated_database_url(tmp, "parents"),
                PUBLIC_URL=served.url,
                **dev_settings(issuer),
                **dev_parent_settings(issuer),
            ),
            DEMO_PASSWORD,
        )
        with app.app_context():
            ids = demo_ids()
        familie, educator = (ApiClient(app.test_client()) for _ in range(2))
        familie.login("familie@example.org", DEMO_PASSWORD)
        educator.login("paedagog@example.org", DEMO_PASSWORD)
        fill_meeting(familie, ids["meeting"])
        created(publish(familie, ids["meeting"]))
        noah = second_child_report(educator, familie, ids["children"]["Noah"])
        served.app = app
        try:
            yield Live(served.url, issuer, app, ids["meeting"], noah)
        finally:
            with app.app_context():
                db.engine.dispose()
