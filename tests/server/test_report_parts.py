"""The tablet says what a publish sends from one table of the report's parts
(pwa/src/domain/reportParts.ts); this keeps that table and compose() saying the same."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask

from server.extensions import db
from server.models import Meeting
from server.reports.compose import compose

PARTS_TS = Path(__file__).parents[2] / "pwa" / "src" / "domain" / "reportParts.ts"


def tablet_parts() -> set[str]:
    """The keys of REPORT_PARTS, read from the TypeScript source."""
    source = PARTS_TS.read_text(encoding="utf-8")
    table = re.search(r"REPORT_PARTS = \{(.*?)\n\}", source, re.S)
    assert table, "REPORT_PARTS not found"
    return set(re.findall(r"^\s+(\w+):", table.group(1), re.M))


def test_the_tablet_names_every_part_of_the_report_and_no_other(
    app: Flask, demo: dict[str, Any]
) -> None:
    with app.app_context():
        meeting = db.session.get(Meeting, demo["meeting"])
        assert meeting is not None
        composed = set(compose(meeting))
    parts = tablet_parts()
    assert len(parts) > 10  # the pattern found the table, not a fragment of it
    assert parts == composed, (
        f"only in compose(): {composed - parts}; only on the tablet: {parts - composed}"
    )
