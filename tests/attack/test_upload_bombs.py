"""Issue 10, item 7: uploads that cost the server what they should not, or store what they
should not.

- A 10,900 x 10,900 PNG (119 Mpx; a few hundred KB, since black compresses well) must be
  refused as a photo and as a document from its header, before it is decoded: the gunicorn
  worker's peak memory is read from /proc before and after (Linux; the peak is reset first).
- A PDF with JavaScript, and HTML wrapped between ``%PDF-`` and ``%%EOF``, are no documents.
- A document's file name comes back without paths, markup or control characters.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import requests
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from tests.attack.served import Served, error_shape_problems
from tests.documents import what_acts

SIDE = 10_900
MB = 1024 * 1024
# Decoding the picture needs 356 MB at least (RGB); a refusal from the header needs none.
# The allowance is for the request itself and Python's own churn.
ALLOWED_GROWTH = 100 * MB


@cache
def huge_png(side: int = SIDE) -> bytes:
    """A real, valid PNG of side x side black RGB pixels, made without holding its pixels."""
    row = b"\x00" * (1 + side * 3)  # filter byte "none", then the pixels
    squeeze = zlib.compressobj(9)
    idat = b"".join([squeeze.compress(row) for _ in range(side)] + [squeeze.flush()])

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + tag
            + data
            + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _workers(live: Served) -> list[int]:
    """The gunicorn worker processes (children of its master)."""
    assert live.server.proc is not None
    master = live.server.proc.pid
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _reset_peaks(pids: list[int]) -> None:
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # 5: reset the peak resident size


def _peak(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def _refused_cheaply(live: Served, send: Any) -> requests.Response:
    pids = _workers(live)
    _reset_peaks(pids)
    before = {pid: _peak(pid) for pid in pids}
    resp: requests.Response = send()
    growth = max(_peak(pid) - before[pid] for pid in pids if pid in before)
    assert 400 <= resp.status_code < 500, (
        f"a {SIDE}x{SIDE} image was accepted: {resp.status_code} {resp.text[:200]}"
    )
    assert not error_shape_problems(
        resp.status_code,
        resp.headers.get("Content-Type", ""),
        resp.json() if "json" in resp.headers.get("Content-Type", "") else None,
    )
    assert growth < ALLOWED_GROWTH, (
        f"refused, but only after the worker's memory grew by {growth // MB} MB"
    )
    return resp


def test_a_119_megapixel_png_photo_is_refused_from_its_header(live: Served) -> None:
    familie = live.sign_in("familie@example.org")
    data = huge_png()
    digest = hashlib.sha256(data).hexdigest()
    _refused_cheaply(
        live,
        lambda: familie.put(
            f"{live.base}/api/blobs/{digest}",
            data=data,
            headers={"Content-Type": "image/png"},
            timeout=120,
        ),
    )
    assert familie.post(
        f"{live.base}/api/blobs/missing", json={"hashes": [digest]}, timeout=30
    ).json()["missing"] == [digest], "the bomb was stored"


def test_a_119_megapixel_png_document_is_refused_from_its_header(live: Served) -> None:
    familie = live.sign_in("familie@example.org")
    course = familie.get(f"{live.base}/api/courses", timeout=30).json()[0]["id"]
    _refused_cheaply(
        live,
        lambda: familie.post(
            f"{live.base}/api/courses/{course}/attachments",
            timeout=120,
            data={"title": "Stor", "kind": "other"},
            files={"file": ("stor.png", huge_png(), "image/png")},
        ),
    )
    assert familie.get(f"{live.base}/api/courses/{course}/attachments", timeout=30).json() == []


def _pdf(javascript: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        writer.add_open_action(JavaScript(javascript))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _attach(client: Any, course: str, data: bytes, name: str) -> Any:
    return client.raw.post(
        f"/api/courses/{course}/attachments",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(data), name), "title": "Dokument", "kind": "other"},
        headers={"X-CSRF-Token": client.csrf_token or ""},
    )


def test_html_dressed_as_a_pdf_is_refused(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    data = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
    resp = _attach(familie, demo["course"], data, "rapport.pdf")
    assert resp.status_code == 422, f"stored: {resp.status_code} {resp.get_json()}"
    assert not error_shape_problems(422, resp.mimetype, resp.get_json())
    assert "file" in resp.get_json()["error"]["fields"]
    assert familie.get(f"/api/courses/{demo['course']}/attachments").get_json() == []


def test_a_pdf_with_javascript_is_stored_without_it(as_user: Any, demo: dict[str, Any]) -> None:
    """The whole corpus of hostile PDFs is in test_hostile_pdfs.py."""
    familie = as_user("familie")
    resp = _attach(familie, demo["course"], _pdf("app.alert('hej');"), "rapport.pdf")
    assert resp.status_code == 201, resp.get_json()
    served = familie.get(f"/api/attachments/{resp.get_json()['id']}/file").data
    assert what_acts(served) == [] and b"app.alert" not in served


def test_a_plain_pdf_is_still_accepted(as_user: Any, demo: dict[str, Any]) -> None:
    """The refusal above must not come from refusing every PDF."""
    resp = _attach(as_user("familie"), demo["course"], _pdf(), "rapport.pdf")
    assert resp.status_code == 201, resp.get_json()


def test_a_document_name_is_sanitised(as_user: Any, demo: dict[str, Any]) -> None:
    familie = as_user("familie")
    resp = _attach(familie, demo["course"], _pdf(), '../../etc/<script>x</script>".pdf')
    assert resp.status_code == 201, resp.get_json()
    name = resp.get_json()["filename"]
    for bad in ("/", "\\", "..", "<", ">", '"', "\r", "\n"):
        assert bad not in name, f"the stored file name keeps {bad!r}: {name!r}"
    download = familie.get(f"/api/attachments/{resp.get_json()['id']}/file")
    disposition = download.headers.get("Content-Disposition", "")
    assert "<" not in disposition and "\n" not in disposition, disposition
