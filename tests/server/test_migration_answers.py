"""Migration 0008: push answers stored before it lose their conflicts' values (issue 10
item 8), and keep everything else a repeated push needs."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

from server import create_app
from server.extensions import db
from server.models import SYNC_TABLES
from server.models._common import utcnow
from tests.harness import empty_database_url, settings


def test_stored_answers_keep_conflicts_by_id_only(tmp_path: Path) -> None:
    url = empty_database_url(tmp_path, "migrate_answers")
    app = create_app(settings(tmp_path, url))
    table = SYNC_TABLES.mutation
    old = {
        "id": "m1",
        "status": "merged",
        "version": 3,
        "conflicts": [
            {
                "id": "c1",
                "field": "text",
                "value": "Emma er ked af det",
                "winning_value": "Emma er glad",
                "kind": "field",
                "user_id": "u1",
            }
        ],
    }
    plain = {"id": "m2", "status": "applied", "version": 1, "conflicts": []}
    with app.app_context():
        upgrade(revision="0007")
        db.session.execute(
            insert(table),
            [
                {
                    "id": "m1",
                    "client_id": "d",
                    "user_id": "u1",
                    "result": old,
                    "created_at": utcnow(),
                },
                {
                    "id": "m2",
                    "client_id": "d",
                    "user_id": "u1",
                    "result": plain,
                    "created_at": utcnow(),
                },
            ],
        )
        db.session.commit()
        upgrade()
        stored = dict(db.session.execute(select(table.c.id, table.c.result)).all())
        db.engine.dispose()
    assert stored["m1"] == {"id": "m1", "status": "merged", "version": 3, "conflicts": ["c1"]}
    assert stored["m2"] == plain
