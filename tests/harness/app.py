"""The app under test: built on a migrated database, with the demo data when asked, and
reused between tests that ask for the same settings."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from server import create_app
from server.demo import load_demo
from server.extensions import db
from tests.harness.database import empty_all_tables
from tests.harness.settings import STORES


def migrated_app(env: Mapping[str, Any], demo_password: str | None = None) -> Flask:
    """``create_app(env)`` on its (already migrated) database, with the demo data loaded when
    ``demo_password`` is given; no connection stays open (gunicorn may start on it next)."""
    app = create_app(dict(env))
    if demo_password is not None:
        with app.app_context():
            load_demo(demo_password)
            db.session.remove()
    with app.app_context():
        db.engine.dispose()
    return app


def demo_ids() -> dict[str, Any]:
    """Ids of the demo records the tests refer to (inside an app context)."""
    from server.models import Child, Course, Institution, Meeting, User

    users = {u.email.split("@")[0]: u.id for u in db.session.scalars(select(User))}
    children = {c.first_name: c.id for c in db.session.scalars(select(Child))}
    course = db.session.scalars(select(Course)).one()
    meeting = db.session.scalars(select(Meeting)).one()
    institutions = {i.name: i.id for i in db.session.scalars(select(Institution))}
    return {
        "users": users,
        "children": children,
        "course": course.id,
        "meeting": meeting.id,
        "institutions": institutions,
    }


@dataclass
class _Built:
    app: Flask
    config: dict[str, Any]
    extensions: dict[str, Any]


class AppPool:
    """One app per distinct set of settings, handed to test after test.

    ``create_app`` costs about 150 ms on this machine, which every test paid before; a
    test's state lives in the database (emptied after each test), in
    the file stores (the test's own folders, set anew on each hand-out) and in
    ``app.config``/``app.extensions``, both put back as they were when the app was built
    (so a test that changes a setting, or opens a store, leaves nothing for the next)."""

    def __init__(self, size: int = 4) -> None:
        # Few: a test whose settings name a port or a bucket of its own gets an app of its
        # own, which no later test will ask for again.
        self._built: OrderedDict[str, _Built] = OrderedDict()
        self._size = size

    def take(self, config: Mapping[str, Any]) -> Flask:
        """An app for ``config``, as if just built by ``create_app(config)``."""
        key = repr(sorted((k, repr(v)) for k, v in config.items() if k not in STORES))
        built = self._built.get(key)
        if built is None:
            app = create_app(dict(config))
            built = _Built(app, dict(app.config), dict(app.extensions))
            self._built[key] = built
            if len(self._built) > self._size:
                _, oldest = self._built.popitem(last=False)
                with oldest.app.app_context():
                    db.engine.dispose()
        self._built.move_to_end(key)
        app = built.app
        app.config.clear()
        app.config.update(built.config)
        app.config.update({k: config[k] for k in STORES if k in config})
        app.extensions.clear()
        app.extensions.update(built.extensions)
        return app

    @staticmethod
    def give_back(app: Flask) -> None:
        """Every row deleted; no connection left open (PostgreSQL may drop the database)."""
        with app.app_context():
            empty_all_tables()
            db.session.remove()
            db.engine.dispose()
