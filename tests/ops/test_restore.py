"""The restore drill of docs/deploying.md, run with the commands that page shows: make a
course with a board photo and a document, back up the database and the files, wipe both,
restore, and check that the app serves the same course and the same bytes.

SQLite with files in the instance directory by default; PostgreSQL (pg_dump/pg_restore)
with the files beside it when TEST_DATABASE_URL is PostgreSQL, as in CI."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server import create_app
from server.demo import load_demo
from server.extensions import db
from tests.dbutil import fresh_database_url, is_postgres
from tests.documents import plain_pdf
from tests.e2e.servers import ROOT
from tests.server.client import ApiClient
from tests.server.conftest import DEMO_PASSWORD, demo_ids
from tests.server.reporting import upload
from tests.server.world import created
from tests.sync.images import photo, sha

pytestmark = pytest.mark.slow

PDF = plain_pdf("TOPI til gendannelse")  # a real PDF: uploads are checked structurally
_DRILL = re.compile(r"<!-- drill: (\S+) -->\s*```sh\n(.*?)```", re.DOTALL)


def documented_commands() -> dict[str, str]:
    """The shell blocks docs/deploying.md marks for the drill, by name."""
    page = (ROOT / "docs" / "deploying.md").read_text()
    return dict(_DRILL.findall(page))


def run_documented(name: str, env: dict[str, str]) -> None:
    script = documented_commands()[name]
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], env={
        **os.environ, "PATH": f"{pg_bin()}:{os.environ['PATH']}", **env},
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"{name}:\n{script}\n{result.stdout}{result.stderr}"


def pg_bin() -> str:
    """Debian's PostgreSQL programs (pg_dump must match the server's version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return str(found[-1]) if found else "/usr/bin"


def libpq_url(url: str) -> str:
    """The app's SQLAlchemy URL as the PostgreSQL tools take it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def app_for(instance: Path, database_url: str) -> Flask:
    return create_app({
        "TRIVSEL_ENV": "testing", "SECRET_KEY": "restore-secret", "DATABASE_URL": database_url,
        "BLOB_DIR": str(instance / "blobs"), "ATTACHMENT_DIR": str(instance / "attachments"),
        "FILING_DIR": str(instance / "filing"),
    })


def what_the_app_serves(app: Flask, ids: dict[str, Any], photo_hash: str, document: str
                        ) -> dict[str, Any]:
    client = ApiClient(app.test_client())
    client.login("familie@example.org", DEMO_PASSWORD)
    course = client.get(f"/api/courses/{ids['course']}")
    assert course.status_code == 200, course.get_json()
    meeting = ids["meeting"]
    served = {
        "course": course.get_json(),
        "notes": sorted(n["text"] for n in client.get(
            f"/api/meetings/{meeting}/notes").get_json()),
        "photos": client.get(f"/api/meetings/{meeting}/photos").get_json(),
        "photo": client.get(f"/api/blobs/{photo_hash}").data,
        "thumbnail": client.get(f"/api/blobs/{photo_hash}?size=thumb").data,
        "document": client.get(f"/api/attachments/{document}/file").data,
    }
    with app.app_context():
        db.engine.dispose()  # "stop the app": no connection stays open
    return served


def wipe_database(url: str, instance: Path) -> None:
    if not is_postgres():
        for path in instance.glob("trivsel.sqlite3*"):
            path.unlink()
        return
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def test_a_backup_made_with_the_documented_commands_restores_course_photo_and_document(
    tmp_path: Path
) -> None:
    commands = documented_commands()
    kind = "postgres" if is_postgres() else "sqlite"
    assert {f"{kind}-backup", f"{kind}-restore", "files-backup", "files-restore"} <= set(
        commands)
    instance, backup = tmp_path / "instance", tmp_path / "backup"
    instance.mkdir()
    url = (fresh_database_url(tmp_path, "opsrestore") if is_postgres()
           else f"sqlite:///{instance / 'trivsel.sqlite3'}")
    env = {"INSTANCE": str(instance), "BACKUP": str(backup),
           "DATABASE_URL": libpq_url(url) if is_postgres() else url}

    # Data: the demo course, with a note, a board photo and a document.
    app = app_for(instance, url)
    with app.app_context():
        upgrade()
        load_demo(DEMO_PASSWORD)
        ids = demo_ids()
    familie = ApiClient(app.test_client())
    familie.login("familie@example.org", DEMO_PASSWORD)
    created(familie.post("/api/notes", {"meeting_id": ids["meeting"], "column": "worries",
                                        "text": "Emma er stille om morgenen"}))
    image = photo(size=(1200, 900), seed=120, with_gps=False)
    upload(familie, image)
    created(familie.post("/api/photos", {"meeting_id": ids["meeting"],
                                         "content_hash": sha(image), "size": len(image)}))
    document = created(familie.post(f"/api/courses/{ids['course']}/attachments", data={
        "file": (io.BytesIO(PDF), "topi.pdf"), "title": "TOPI", "kind": "topi"},
        content_type="multipart/form-data"))["id"]
    before = what_the_app_serves(app, ids, sha(image), document)
    assert before["photo"][:2] == b"\xff\xd8" and before["thumbnail"][:2] == b"\xff\xd8"
    assert before["thumbnail"] != before["photo"] and before["document"] == PDF
    assert "Emma er stille om morgenen" in before["notes"] and len(before["photos"]) == 1

    # Back up (database first, then the files), as the page says.
    run_documented(f"{kind}-backup", env)
    run_documented("files-backup", env)

    # Lose everything: the database and every file.
    wipe_database(url, instance)
    shutil.rmtree(instance)
    assert not instance.exists()

    run_documented("files-restore", env)
    run_documented(f"{kind}-restore", env)

    restored = app_for(instance, url)
    with restored.app_context():
        upgrade()  # as the page says; a backup of this version needs nothing
    assert what_the_app_serves(restored, ids, sha(image), document) == before
