"""The restore drill of docs/deploying.md, run with the commands that page shows: make a
course with a board photo (original, thumbnail, display copy), a published and filed report
and a document; back up the database and the store; lose them; restore; check that the app
serves the same course and the same bytes, and that the store holds exactly what it held.

The database: SQLite by default, PostgreSQL (pg_dump/pg_restore) when TEST_DATABASE_URL is
PostgreSQL, as in CI. The store: files in the instance directory (tar), and an S3 bucket
(the AWS CLI's `aws s3 sync`, against moto's S3 server: no real store was available here)."""

from __future__ import annotations

import hashlib
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
from server.courses.pdf_check import sanitize_pdf
from server.demo import load_demo
from server.extensions import db
from server.photos.store import object_store
from tests.documents import plain_pdf
from tests.harness import (
    ROOT,
    VENV_BIN,
    ApiClient,
    demo_ids,
    empty_database_url,
    is_postgres,
)
from tests.harness import settings as harness_settings
from tests.harness.fixtures import DEMO_PASSWORD
from tests.s3server import s3_app_config
from tests.server.reporting import fill_meeting, publish
from tests.server.syncclient import Device
from tests.server.world import created
from tests.sync.images import photo, sha

pytestmark = pytest.mark.slow

_DRILL = re.compile(r"<!-- drill: (\S+) -->\s*```sh\n(.*?)```", re.DOTALL)


def documented_commands() -> dict[str, str]:
    """The shell blocks docs/deploying.md marks for the drill, by name."""
    page = (ROOT / "docs" / "deploying.md").read_text()
    return dict(_DRILL.findall(page))


def run_documented(name: str, env: dict[str, str]) -> None:
    script = documented_commands()[name]
    path = f"{pg_bin()}:{VENV_BIN}:{os.environ['PATH']}"  # pg_dump, sqlite3, aws
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env={**os.environ, "PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{name}:\n{script}\n{result.stdout}{result.stderr}"


def pg_bin() -> str:
    """Debian's PostgreSQL programs (pg_dump must match the server's version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return str(found[-1]) if found else "/usr/bin"


def libpq_url(url: str) -> str:
    """The app's SQLAlchemy URL as the PostgreSQL tools take it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def app_settings(instance: Path, database_url: str) -> dict[str, str]:
    """The app's environment file."""
    return harness_settings(instance, database_url, SECRET_KEY="restore-secret")


def app_for(instance: Path, database_url: str, store: dict[str, Any]) -> Flask:
    return create_app({**app_settings(instance, database_url), **store})


def store_contents(app: Flask) -> dict[str, str]:
    """Every object in the app's store and the SHA-256 of its bytes."""
    with app.app_context():
        store = object_store()
        listed = list(store.keys())  # an object store, not a dict
        return {key: hashlib.sha256(store.get(key)).hexdigest() for key in listed}


def what_the_app_serves(
    app: Flask, ids: dict[str, Any], photo_hash: str, document: str, report: str
) -> dict[str, Any]:
    client = ApiClient(app.test_client())
    client.login("familie@example.org", DEMO_PASSWORD)
    course = client.get(f"/api/courses/{ids['course']}")
    assert course.status_code == 200, course.get_json()
    meeting = ids["meeting"]
    served = {
        "course": course.get_json(),
        "notes": sorted(n["text"] for n in client.get(f"/api/meetings/{meeting}/notes").get_json()),
        "photos": client.get(f"/api/meetings/{meeting}/photos").get_json(),
        "photo": client.get(f"/api/blobs/{photo_hash}").data,
        "thumbnail": client.get(f"/api/blobs/{photo_hash}?size=thumb").data,
        "display": client.get(f"/api/blobs/{photo_hash}?size=display").data,
        "document": client.get(f"/api/attachments/{document}/file").data,
        "report": client.get(f"/api/reports/{report}/snapshot").get_json(),
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


def wipe_store(app: Flask, instance: Path) -> None:
    """Lose the stored files: the instance directory, or every object in the bucket."""
    if app.config["BLOB_STORE_URL"]:
        with app.app_context():
            store = object_store()
            for key in list(store.keys()):
                store.delete(key)
    shutil.rmtree(instance)


@pytest.mark.parametrize("store", ["files", "s3"])
def test_a_backup_made_with_the_documented_commands_restores_everything(
    tmp_path: Path, store: str, request: pytest.FixtureRequest
) -> None:
    commands = documented_commands()
    kind = "postgres" if is_postgres() else "sqlite"
    assert {
        f"{kind}-backup",
        f"{kind}-restore",
        "files-backup",
        "files-restore",
        "s3-backup",
        "s3-restore",
        "after-restore",
    } <= set(commands)
    instance, backup = tmp_path / "instance", tmp_path / "backup"
    instance.mkdir()
    url = (
        empty_database_url(tmp_path, f"opsrestore{store}")
        if is_postgres()
        else f"sqlite:///{instance / 'trivsel.sqlite3'}"
    )
    env = {
        "INSTANCE": str(instance),
        "BACKUP": str(backup),
        "DATABASE_URL": libpq_url(url) if is_postgres() else url,
    }
    settings: dict[str, Any] = {}
    if store == "s3":
        settings = s3_app_config(request.getfixturevalue("s3_endpoint"))
        # What the app's environment file holds, which the commands are run with.
        env.update(BLOB_STORE_URL=settings["BLOB_STORE_URL"], **settings["BLOB_STORE_S3"])

    # Data: the demo course, with notes, a board photo, a published and filed report, and
    # a document.
    app = app_for(instance, url, settings)
    with app.app_context():
        upgrade()
        load_demo(DEMO_PASSWORD)
        ids = demo_ids()
    familie = ApiClient(app.test_client())
    familie.login("familie@example.org", DEMO_PASSWORD)
    created(
        familie.post(
            "/api/notes",
            {
                "meeting_id": ids["meeting"],
                "column": "worries",
                "text": "Emma er stille om morgenen",
            },
        )
    )
    image = fill_meeting(familie, ids["meeting"])["image"]
    report = created(publish(familie, ids["meeting"]))["id"]
    created(familie.post("/api/filings", {"meeting_id": ids["meeting"]}))
    pdf = plain_pdf("Emmas TOPI")
    document = created(
        familie.post(
            f"/api/courses/{ids['course']}/attachments",
            data={"file": (io.BytesIO(pdf), "topi.pdf"), "title": "TOPI", "kind": "topi"},
            content_type="multipart/form-data",
        )
    )["id"]
    before = what_the_app_serves(app, ids, sha(image), document, report)
    assert before["photo"][:2] == b"\xff\xd8" and before["thumbnail"][:2] == b"\xff\xd8"
    assert len({before["photo"], before["thumbnail"], before["display"]}) == 3
    assert before["document"] == sanitize_pdf(pdf)  # the stored copy is qpdf's rewrite
    assert before["report"]["report"]["meeting"]["id"] == ids["meeting"]
    assert "Emma er stille om morgenen" in before["notes"] and len(before["photos"]) == 1
    kept = store_contents(app)
    tablet = Device(familie)
    tablet.pull()
    # Photo, thumbnail, display and print copies, document and filed archive: what the backup
    # must hold.
    assert {key.split("/")[0] for key in kept} == {"photos", "documents", "filing"}
    assert len(kept) == 6, sorted(kept)

    # Back up (database first, then the store), as the page says.
    run_documented(f"{kind}-backup", env)
    run_documented(f"{store}-backup", env)

    # After the backup: a photo uploaded (lost with the restore), then everything lost.
    later = photo(size=(800, 600), seed=121, with_gps=False)
    assert (
        familie.put(
            f"/api/blobs/{sha(later)}", data=later, headers={"Content-Type": "image/jpeg"}
        ).status_code
        == 200
    )
    later_photo = created(
        familie.post(
            "/api/photos",
            {"meeting_id": ids["meeting"], "content_hash": sha(later), "size": len(later)},
        )
    )
    assert len(store_contents(app)) > len(kept)
    lost = created(
        familie.post(
            "/api/notes",
            {"meeting_id": ids["meeting"], "column": "working", "text": "Efter backuppen"},
        )
    )
    tablet.pull()  # the tablet now holds a cursor past what the backup holds
    if store == "s3":  # the bucket survives, damaged: some objects gone, a later one there
        with app.app_context():
            object_store().delete(next(key for key in kept if key.startswith("photos/")))
    else:
        wipe_store(app, instance)
    wipe_database(url, instance)
    if store == "files":
        assert not instance.exists()

    run_documented(f"{store}-restore", env)
    run_documented(f"{kind}-restore", env)

    run_documented("after-restore", {**app_settings(instance, env["DATABASE_URL"]), **env})

    restored = app_for(instance, url, settings)
    assert store_contents(restored) == kept  # exactly the backup's objects, byte for byte
    assert what_the_app_serves(restored, ids, sha(image), document, report) == before

    # The restored server hands out the tablet's numbers again, to other changes, before the
    # tablet comes back; after the new history it pulls again and misses none of them.
    staff = ApiClient(restored.test_client())
    staff.login("familie@example.org", DEMO_PASSWORD)
    for i in range(5):
        created(
            staff.post(
                "/api/notes",
                {
                    "meeting_id": ids["meeting"],
                    "column": "worries",
                    "text": f"Efter gendannelsen {i}",
                },
            )
        )
    tablet.api = staff
    tablet.pull()
    fresh = Device(staff)
    fresh.pull()
    # Only what the server lost (made after the backup) is more on the tablet.
    made_after_backup = {lost["id"], later_photo["id"]}
    held = {k: r["version"] for k, r in tablet.records.items() if k[1] not in made_after_backup}
    assert len(held) == len(tablet.records) - 2
    assert held == {k: r["version"] for k, r in fresh.records.items()}
    with restored.app_context():
        db.engine.dispose()
