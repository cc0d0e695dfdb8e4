"""Any text the API accepts prints (issue 22): a Hypothesis search over the API's own limits
(read from the schemas) in every free text the report, the agenda letter and the filed report
show — long unbroken words, many lines, every script (Arabic, CJK, emoji, combining marks,
right-to-left, the control characters the API takes) — rendered straight from the templates
(no course made through the API, so that many texts are tried in little time; the whole way
through the API is tests/attack/test_pdf_any_text.py). Each document must come out a PDF/A-2b
that opens, with the latin words of its texts in it."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pikepdf
import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from PIL import Image

from server.letters.agenda import agenda_pdf
from server.models import Report
from server.parents.sender import municipality
from server.reports import pdf
from tests.any_text import any_texts
from tests.budget import FUZZ, budget

# Each example makes three documents, one of them with a text at its longest: small in the
# ordinary run (about 20 s on a loaded 2-core machine), fewer in `make check`, more under
# `make fuzz`.
EXAMPLES = budget(5, quick=2, fuzz=60, env="DOCUMENT_TEXT_EXAMPLES")


MARK = "Ordet"  # latin, so that it must be found in the PDF's text wherever it stood


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def stored_photo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The board photo's print copy without a store: the layout is what is tested here."""
    data = _jpeg()
    monkeypatch.setattr(pdf, "print_bytes", lambda _hash: data)


def report_of(t: dict[str, str], town: dict[str, str]) -> Report:
    """A published version whose snapshot holds ``t`` wherever a person's text goes."""
    now = datetime.now(UTC)
    snapshot: dict[str, Any] = {
        "meeting": {
            "id": "m",
            "kind": "follow_up",
            "starts_at": now.isoformat(),
            "place": t["place"],
            "held_at": now.isoformat(),
            "number": 2,
        },
        "course_id": "c",
        "child": {"id": "b", "first_name": t["first_name"], "last_name": t["last_name"]},
        "participants": [{"name": t["participant"], "role": "guardian", "present": True}],
        "child_participation": "part",
        "child_perspective": t["perspective"],
        "columns": {c: [t["note"]] for c in ("worries", "working", "next_steps")},
        "photos": [{"id": "p", "content_hash": "h", "content_type": "image/jpeg"}],
        "agreements": [
            {"what": t["agreement"], "owner": "guardians", "due_date": None, "carried": True}
        ],
        "next_meeting": {"starts_at": now.isoformat(), "place": t["place"]},
        "minutes": t["minutes"],
        "review": {
            "starts_at": now.isoformat(),
            "agreements": [{"what": t["agreement"], "owner": "institution", "outcome": "done"}],
        },
        "scaling": {
            "meetings": 2,
            "series": [{"role": "guardian", "name": t["scaling"], "values": [3, 7]}],
        },
        "goals": {
            "meetings": 2,
            "pairs": [
                {
                    "worry": t["note"],
                    "goal": t["note"],
                    "reached_at": now.isoformat(),
                    "series": [{"role": "child", "name": t["goal_score"], "values": [None, 4]}],
                }
            ],
        },
        "sender": {
            "municipality": town,
            "leader": {"name": t["participant"], "phone": "70 10 20 99", "email": "a@b.dk"},
        },
    }
    snapshot["photos"][0]["caption"] = t["caption"]
    made = SimpleNamespace(
        snapshot=snapshot,
        number=2,
        published_at=now,
        published_by_name=t["participant"],
        meeting_id="m",
    )
    return cast(Report, made)


def agenda_of(t: dict[str, str], town: dict[str, str]) -> dict[str, Any]:
    """What compose_agenda gives for a follow-up meeting, with ``t``'s texts."""
    return {
        "child": t["first_name"],
        "kind": "follow_up",
        "number": 2,
        "starts_at": datetime.now(UTC),
        "place": t["place"],
        "participants": [(t["participant"], "Forælder")],
        "points": [line for line in t["agenda"].splitlines() if line.strip()] or ["x"],
        "last_board": [t["note"]],
        "review": [(t["agreement"], "Forældrene")],
        "sender": {"municipality": town, "leader": None},
    }


def readable(data: bytes) -> str:
    """The PDF opens as PDF/A-2 (pikepdf); its text as pdftotext gives it, words joined."""
    with pikepdf.open(io.BytesIO(data)) as doc:
        assert len(doc.pages) >= 1
        assert doc.open_metadata().get("pdfaid:part") == "2"
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not FUZZ,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(texts=any_texts(MARK + " "))
def test_any_text_the_api_accepts_prints_in_the_report_the_filing_and_the_agenda(
    app: Flask, stored_photo: None, texts: dict[str, str]
) -> None:
    comment = {
        "id": "c1",
        "guardian": "mor",
        "written_at": datetime.now(UTC).isoformat(),
        "report_id": "r",
        "text": texts["comment"],
    }
    with app.test_request_context():
        town = municipality()
        report = report_of(texts, town)
        documents = {
            # The parents' copy: their own comments; the filed copy: every comment (the
            # filing's report.pdf, server/filing/archive.py).
            "parents": pdf.report_pdf(report, []),
            "filed": pdf.report_pdf(report, [comment, comment]),
            "agenda": agenda_pdf(agenda_of(texts, town)),
        }
    for name, data in documents.items():
        assert MARK in readable(data), name
