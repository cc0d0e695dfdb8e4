"""Migration 0013 (issue 19, finding 1): before it an admin chose every staff password, so
none survives the upgrade. Found in review: an upgraded database kept them, and an admin
signed in with a password it had set. Every session ends too; each person gets a link."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, update

from server import create_app
from server.auth.passwords import hash_password
from server.demo import load_demo
from server.extensions import db
from server.models import AuthSession, OutboundMessage, User
from server.models._common import utcnow
from tests.harness import ApiClient, empty_database_url, settings

CHOSEN_BY_ADMIN = "the-admin-chose-this"


def test_no_password_an_admin_chose_survives_the_upgrade(tmp_path: Path) -> None:
    url = empty_database_url(tmp_path, "migrate_accounts")
    app = create_app(settings(tmp_path, url))
    now = utcnow()
    with app.app_context():
        upgrade(revision="0012")
        users = db.metadata.tables["user_account"]
        sessions = db.metadata.tables["auth_session"]
        for uid, email, role in (
            ("a", "admin@x.dk", "admin"),
            ("b", "admin2@x.dk", "admin"),
            ("e", "educator@x.dk", "family_unit"),
        ):
            db.session.execute(
                insert(users).values(
                    id=uid,
                    email=email,
                    name=uid,
                    role=role,
                    active=True,
                    created_at=now,
                    password_hash=hash_password(CHOSEN_BY_ADMIN),
                )
            )
        db.session.execute(
            insert(sessions).values(
                id="s" * 64, user_id="e", created_at=now, last_seen_at=now, expires_at=now
            )
        )
        db.session.commit()
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(AuthSession)) == 0
        approved = db.session.scalars(select(User.approved_at)).all()
        assert all(when is not None for when in approved)  # they existed before the rule
        db.session.remove()
    for email in ("admin@x.dk", "admin2@x.dk", "educator@x.dk"):
        client = ApiClient(app.test_client())
        resp = client.post("/api/auth/login", {"email": email, "password": CHOSEN_BY_ADMIN})
        assert resp.status_code == 401, (email, resp.get_json())
    # The operator's step after the upgrade: each person chooses a password through a link.
    result = app.test_cli_runner().invoke(args=["users", "send-password-links"])
    assert result.exit_code == 0 and "Sent 3 link(s)" in result.output, result.output
    with app.app_context():
        to = sorted(db.session.scalars(select(OutboundMessage.to_address)))
        db.engine.dispose()
    assert to == ["admin2@x.dk", "admin@x.dk", "educator@x.dk"]


def test_the_demo_gets_its_password_back_in_development(tmp_path: Path) -> None:
    """A developer's database from before 0013: `make run` signs the demo users in again."""
    url = empty_database_url(tmp_path, "migrate_demo")
    app = create_app(settings(tmp_path, url))
    with app.app_context():
        upgrade()
        load_demo("demo-password")
        db.session.execute(update(User).values(password_hash=""))
        db.session.commit()
        assert load_demo("demo-password").created is False
        db.session.remove()
    client = ApiClient(app.test_client())
    resp = client.post(
        "/api/auth/login", {"email": "familie@example.org", "password": "demo-password"}
    )
    assert resp.status_code == 200, resp.get_json()
    with app.app_context():
        db.engine.dispose()
