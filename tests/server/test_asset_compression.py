"""The app's build files go over the wire compressed (the tablet installs and updates the app
over the meeting room's link): the build's own Brotli or gzip copy, as the browser accepts,
and the file itself to a browser that takes neither."""

from __future__ import annotations

import gzip
import random
import subprocess
from pathlib import Path
from typing import Any

import brotli
import pytest
from flask import Flask

from server import create_app
from tests.harness import ROOT

Built = tuple[Flask, dict[str, bytes]]  # the app, and the build's files by name


def _script_like(size: int) -> bytes:
    """Text that compresses as JavaScript does (repeated names), not as noise or zeros."""
    rnd = random.Random(5)
    names = ["const", "function", "return", "meeting", "note", "await", "this.db", "=>", "{", "}"]
    return " ".join(rnd.choice(names) for _ in range(size // 5)).encode()[:size]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A build folder put through the real precompress step of `npm run build` (once)."""
    dist = tmp_path_factory.mktemp("dist")
    (dist / "assets").mkdir()
    (dist / "index.html").write_text("<!doctype html><title>Trivsel</title>")
    files = {
        "index-abc123.js": _script_like(200_000),
        "codec-def456.wasm": b"\0asm\1\0\0\0" + _script_like(100_000),
        "tiny-0a1b2c.css": b"a{}",  # nothing to gain: no copy made
        "noise-9f8e7d.js": random.Random(1).randbytes(50_000),
    }
    for name, data in files.items():
        (dist / "assets" / name).write_bytes(data)
    subprocess.run(
        ["node", str(ROOT / "pwa" / "scripts" / "precompress.mjs"), str(dist)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return dist, files


@pytest.fixture
def built(app_config: dict[str, Any], dist: tuple[Path, dict[str, bytes]]) -> Built:
    folder, files = dist
    return create_app({**app_config, "PWA_DIST": str(folder)}), files


def test_a_browser_that_takes_brotli_gets_the_brotli_copy(built: Built) -> None:
    app, files = built
    resp = app.test_client().get(
        "/assets/index-abc123.js", headers={"Accept-Encoding": "gzip, deflate, br, zstd"}
    )
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == "br"
    assert resp.mimetype == "text/javascript"
    assert "Accept-Encoding" in resp.headers["Vary"]
    assert "immutable" in resp.headers["Cache-Control"]
    body = resp.get_data()
    assert brotli.decompress(body) == files["index-abc123.js"]
    assert len(body) < 0.4 * len(files["index-abc123.js"])


def test_webassembly_keeps_its_type_so_it_compiles_while_it_streams(
    built: Built,
) -> None:
    app, files = built
    resp = app.test_client().get("/assets/codec-def456.wasm", headers={"Accept-Encoding": "br"})
    assert resp.headers["Content-Encoding"] == "br"
    assert resp.mimetype == "application/wasm"
    assert brotli.decompress(resp.get_data()) == files["codec-def456.wasm"]


@pytest.mark.parametrize(
    "accepted", ["gzip", "gzip, deflate", "br;q=0, gzip", "gzip;q=1, br;q=0.5", "br;q=0, *"]
)
def test_the_encoding_the_browser_prefers_among_those_it_takes(
    built: Built,
    accepted: str,
) -> None:
    app, files = built
    resp = app.test_client().get("/assets/index-abc123.js", headers={"Accept-Encoding": accepted})
    assert resp.headers["Content-Encoding"] == "gzip", accepted
    assert gzip.decompress(resp.get_data()) == files["index-abc123.js"]


@pytest.mark.parametrize("accepted", [None, "identity", "br;q=0, gzip;q=0", "deflate"])
def test_a_browser_that_takes_neither_gets_the_file_itself(
    built: Built,
    accepted: str | None,
) -> None:
    app, files = built
    headers = {"Accept-Encoding": accepted} if accepted is not None else {}
    resp = app.test_client().get("/assets/index-abc123.js", headers=headers)
    assert "Content-Encoding" not in resp.headers, accepted
    assert resp.get_data() == files["index-abc123.js"]
    assert "Accept-Encoding" in resp.headers["Vary"]  # so a cache keeps the two apart


def test_files_that_do_not_shrink_are_sent_as_they_are(built: Built) -> None:
    app, files = built
    client = app.test_client()
    for name in ("tiny-0a1b2c.css", "noise-9f8e7d.js"):
        resp = client.get(f"/assets/{name}", headers={"Accept-Encoding": "br, gzip"})
        assert "Content-Encoding" not in resp.headers, name
        assert resp.get_data() == files[name]


def test_a_compressed_copy_is_no_way_out_of_the_build(built: Built) -> None:
    app, _ = built
    folder = Path(app.config["PWA_DIST"])
    (folder / "secret.js").write_text("the build's neighbour")  # beside assets/, not in it
    (folder / "secret.js.br").write_bytes(brotli.compress(b"the build's neighbour"))
    client = app.test_client()
    for url in ("/assets/../secret.js", "/assets/..%2Fsecret.js", "/assets/%2E%2E/secret.js"):
        resp = client.get(url, headers={"Accept-Encoding": "br"})
        assert b"neighbour" not in resp.get_data(), url
        assert "Content-Encoding" not in resp.headers, url


@pytest.mark.parametrize("accepted", [None, "gzip, deflate, br"])
def test_a_name_too_long_for_the_disk_is_a_plain_404(built: Built, accepted: str | None) -> None:
    app, _ = built
    headers = {"Accept-Encoding": accepted} if accepted is not None else {}
    resp = app.test_client().get(f"/assets/{'a' * 300}.js", headers=headers)
    assert resp.status_code == 404, accepted
