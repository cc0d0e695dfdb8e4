"""Serving the PWA: the app shell and service worker are never cached, hashed assets forever."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from server import create_app


@pytest.fixture
def web_app(app_config: dict[str, Any], tmp_path: Path) -> Flask:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Trivsel</title>")
    (dist / "sw.js").write_text("self.addEventListener('install', () => {})")
    (dist / "manifest.webmanifest").write_text('{"name": "Trivsel"}')
    (dist / "assets" / "index-abc123.js").write_text("console.log(1)")
    return create_app({**app_config, "PWA_DIST": str(dist)})


def test_app_shell_and_service_worker_are_not_cached(web_app: Flask) -> None:
    client = web_app.test_client()
    for url in ("/", "/moeder/123", "/sw.js", "/manifest.webmanifest"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "no-cache" in resp.headers["Cache-Control"], url
    assert "Trivsel" in client.get("/moeder/123").get_data(as_text=True)


def test_hashed_assets_are_cached_for_a_year(web_app: Flask) -> None:
    resp = web_app.test_client().get("/assets/index-abc123.js")
    assert resp.status_code == 200
    assert "max-age=31536000" in resp.headers["Cache-Control"]
    assert "immutable" in resp.headers["Cache-Control"]


def test_unknown_api_paths_are_json_404_not_the_app_shell(web_app: Flask) -> None:
    resp = web_app.test_client().get("/api/nothing-here")
    assert resp.status_code == 404
    assert resp.get_json()["error"]["code"] == "not_found"


def test_files_outside_the_build_are_not_served(web_app: Flask) -> None:
    client = web_app.test_client()
    resp = client.get("/../../pyproject.toml")
    assert b"[project]" not in resp.get_data()
    assert client.get("/assets/../index.html").status_code in (200, 404)


def test_missing_build_gives_a_clear_answer(app_config: dict[str, Any], tmp_path: Path) -> None:
    app = create_app({**app_config, "PWA_DIST": str(tmp_path / "nothing")})
    resp = app.test_client().get("/")
    assert resp.status_code == 503
    assert "make run" in resp.get_data(as_text=True)


def test_a_path_too_long_for_the_disk_is_the_app_shell_not_an_error(web_app: Flask) -> None:
    resp = web_app.test_client().get(f"/{'a' * 300}/{'b' * 300}.html")
    assert resp.status_code == 200  # a client-side route the app itself will call unknown
    assert "Trivsel" in resp.get_data(as_text=True)
