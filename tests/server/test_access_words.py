"""The parents' access log in words a parent understands (issue 12): who by name and where
they work, what they did as a sentence, repeated fetches of a day as one line."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from server.models import AuditEntry
from server.parents.access_words import Line, describe, sentence
from server.sync.wire import KINDS
from server.text import da
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, invitation_links, phone, publish
from tests.server.syncclient import Device
from tests.server.world import created

ROOT = Path(__file__).parents[2]
CODES = re.compile(
    r"\b(family_unit|educator|psychologist|sync|pull|board_note|read|list|"
    r"create|update|rest|None)\b"
)


def test_the_log_speaks_of_people_and_what_they_did(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie: ApiClient = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    tablet = Device(as_user("paedagog"))
    for _ in range(3):  # a tablet in use fetches the course again and again
        tablet.pull()
        tablet.cursor = ""
    familie.get(f"/api/meetings/{demo['meeting']}/minutes")
    mor = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    page = mor.get("/p/access").get_data(as_text=True)
    lines = [
        re.sub(r"<[^>]+>", " ", li).split() for li in re.findall(r"<li>(.*?)</li>", page, re.S)
    ]
    text = [" ".join(words) for words in lines]
    assert any(
        "Frida Familieindgang fra Familieindgangen delte rapporten med jer." in t for t in text
    ), text
    assert any(
        "Frida Familieindgang fra Familieindgangen læste mødets referat." in t for t in text
    ), text
    fetched = [
        t for t in text if "Peter Pædagog fra Solsikken hentede forløbet til sin tablet" in t
    ]
    assert len(fetched) == 1 and "3 gange kl." in fetched[0], text
    assert any(
        "Frida Familieindgang fra Familieindgangen skrev en note på tavlen." in t for t in text
    ), text
    body = page.split('<ul id="access">')[1].split("</ul>")[0]
    assert not CODES.search(re.sub(r"<[^>]+>", " ", body)), CODES.search(body)
    assert "Mette Jensen" not in body  # the parent's own readings are not "the municipality"


def test_every_audited_action_of_staff_has_a_sentence() -> None:
    """What the code audits — every record kind's reads and writes, and each literal
    audit.record(...) — is said in words, never as the fallback."""
    pairs = {
        (action, kind)
        for kind in KINDS
        for action in ("read", "list", "create", "update", "delete")
        if kind != "conflict"
    }
    for path in (ROOT / "server").rglob("*.py"):
        for action, entity in re.findall(r'audit\.record\(\s*"(\w+)",\s*"(\w+)"', path.read_text()):
            pairs.add((action, entity))
    missing = sorted(p for p in pairs if sentence(*p) == da.ACCESS["other"])
    assert missing == []


def test_details_are_told_apart_and_unknown_people_keep_their_name() -> None:
    at = datetime(2026, 12, 3, 15, 58, tzinfo=UTC)
    rows = [
        AuditEntry(
            at=at,
            actor_type="user",
            actor_id=None,
            actor_name="Gammel Bruger (educator)",
            action="update",
            entity="meeting",
            detail="sync:child_participation,status",
        ),
        AuditEntry(
            at=at - timedelta(hours=1),
            actor_type="user",
            actor_id=None,
            actor_name="Gammel Bruger (educator)",
            action="update",
            entity="course",
            detail="handed_over",
        ),
        AuditEntry(
            at=at - timedelta(days=400),
            actor_type="system",
            actor_id=None,
            actor_name="system",
            action="delete",
            entity="course",
            detail="retention: closed 2020-01-01, 3 meetings",
        ),
    ]
    lines = describe(rows)
    assert [line.text for line in lines] == [
        "Gammel Bruger afsluttede et møde",
        "Gammel Bruger registrerede, at børne- og ungerådgiveren har overtaget",
        "Trivsel (automatisk) slettede forløbet, da opbevaringstiden var udløbet",
    ]
    assert lines[0].when == "3. december 2026 kl. 16.58"  # da.when: the one long form


def test_a_days_repeated_fetches_are_timed_as_the_app_writes_times() -> None:
    """'kl. 8.02-16.40' as everywhere else, never '08.02' (strftime's %H)."""
    morning = datetime(2026, 12, 3, 7, 2, tzinfo=UTC)  # 8.02 in Copenhagen
    line = Line(
        child_id=None,
        who="Peter Pædagog fra Solsikken",
        what="hentede forløbet",
        day=date(2026, 12, 3),
        first=morning,
        last=morning + timedelta(hours=8, minutes=38),
        count=3,
    )
    assert line.when == "3. december 2026, 3 gange kl. 8.02\u201316.40"
