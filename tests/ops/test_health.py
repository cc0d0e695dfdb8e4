"""/healthz and /readyz: what a load balancer and a supervisor see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server import create_app


def test_both_answer_ready_without_a_sign_in_and_are_never_cached(client: Any) -> None:
    for url, body in (
        ("/healthz", {"status": "ok"}),
        ("/readyz", {"status": "ready", "checks": {"database": "ok", "store": "ok"}}),
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.get_json() == body
        assert resp.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in resp.headers  # no session is made for a probe


def test_an_unreachable_database_makes_the_instance_unready_but_alive(
    app_config: dict[str, Any], tmp_path: Path
) -> None:
    # A database file inside a directory that does not exist: SQLite cannot open it.
    missing = tmp_path / "no-such-dir" / "trivsel.sqlite3"
    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{missing}"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # the process itself is fine
    resp = client.get("/readyz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["status"] == "not_ready"
    assert body["checks"] == {"database": "failed", "store": "ok"}
    assert body["error"]["code"] == "not_ready"
    assert "database" in body["error"]["fields"]
    assert str(missing) not in resp.get_data(as_text=True)  # details go to the log only
    assert resp.headers["Cache-Control"] == "no-store"


def test_a_store_root_that_cannot_be_written_makes_the_instance_unready(
    app_config: dict[str, Any], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    app = create_app({**app_config, "BLOB_DIR": str(blocker / "blobs")})
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503
    assert resp.get_json()["checks"] == {"database": "ok", "store": "failed"}
    assert str(blocker) not in resp.get_data(as_text=True)


def test_readiness_never_reveals_child_data(client: Any, demo: dict[str, Any]) -> None:
    text = client.get("/readyz").get_data(as_text=True) + client.get("/healthz").get_data(
        as_text=True
    )
    assert "Emma" not in text and demo["course"] not in text
