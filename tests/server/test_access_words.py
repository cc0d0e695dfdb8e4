"""The parents' access log in words a parent understands (issue 12): who by name and where
they work, what they did as a sentence, repeated fetches of a day as one line."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from server.models import AuditEntry, AuthSession
from server.parents.access_words import Line, describe, fetches, sentence
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
    # Issue 21: the tablet's three fetches are one line of their own, said as what they are
    # (not "3 gange", as if a person had looked three times).
    fetched = [
        t
        for t in text
        if "Tabletten hos Peter Pædagog fra Solsikken hentede forløbet for at kunne arbejde "
        "uden net." in t
    ]
    assert len(fetched) == 1 and "gange" not in fetched[0], text
    assert fetched[0] in _items(page, "fetched")
    assert not any("Peter Pædagog" in t for t in _items(page, "access")), text
    assert any(
        "Frida Familieindgang fra Familieindgangen skrev en note på tavlen." in t for t in text
    ), text
    body = page.split('<ul id="access">')[1].split("</ul>")[0]
    assert not CODES.search(re.sub(r"<[^>]+>", " ", body)), CODES.search(body)
    assert "Mette Jensen" not in body  # the parent's own readings are not "the municipality"


def _items(page: str, list_id: str) -> list[str]:
    """The words of each line of one list of the access page."""
    body = page.split(f'<ul id="{list_id}"')[1].split("</ul>")[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li>(.*?)</li>", body, re.S)
    ]


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


def test_several_readings_in_one_minute_are_no_range() -> None:
    """'kl. 7.42', never 'kl. 7.42-7.42' (issue 21)."""
    at = datetime(2026, 12, 3, 6, 42, 5, tzinfo=UTC)  # 7.42 in Copenhagen
    line = Line(None, "Peter", "så et møde", date(2026, 12, 3), at, at + timedelta(seconds=40), 2)
    assert line.when == "3. december 2026, 2 gange kl. 7.42"


def test_lines_are_newest_first_and_fetches_are_apart() -> None:
    at = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)

    def entry(hours: int, action: str, entity: str, record_id: str | None = None) -> AuditEntry:
        return AuditEntry(
            at=at + timedelta(hours=hours),
            actor_type="user",
            actor_id=None,
            actor_name="Gammel Bruger (educator)",
            action=action,
            entity=entity,
            record_id=record_id,
            detail="",
        )

    rows = [
        entry(-30, "read", "meeting"),
        entry(2, "read", "minutes"),
        entry(-2, "sync", "pull", "device:a"),
        entry(-1, "sync", "pull", "device:a"),  # the same tablet, the same day: one line
        entry(1, "sync", "pull", "device:b"),  # another tablet
        entry(-26, "sync", "pull", "device:a"),  # the day before
        entry(0, "update", "meeting"),
    ]
    lines = describe(rows)
    assert [(line.text, line.last) for line in lines] == [
        ("Gammel Bruger læste mødets referat", at + timedelta(hours=2)),
        ("Gammel Bruger ændrede et møde", at),
        ("Gammel Bruger så et møde", at - timedelta(hours=30)),
    ]
    tablets = fetches(rows)
    assert [(f.when, f.last) for f in tablets] == [
        ("3. december 2026", at + timedelta(hours=1)),
        ("3. december 2026", at - timedelta(hours=1)),
        ("2. december 2026", at - timedelta(hours=26)),
    ]
    assert {f.text for f in tablets} == {
        "Tabletten hos Gammel Bruger hentede forløbet for at kunne arbejde uden net"
    }


def test_a_tablets_pulls_are_one_audit_entry_per_device_and_day(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """Issue 26: the audit table does not grow with every sync. Each pull still leaves an
    entry newer than any before it naming the child (who read what stays logged), and each
    tablet (sign-in) has its own."""
    from server.extensions import db

    def pulls() -> list[AuditEntry]:
        with app.app_context():
            rows = list(
                db.session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.action == "sync", AuditEntry.entity == "pull")
                    .where(AuditEntry.child_id == demo["children"]["Emma"])
                    .where(AuditEntry.actor_id == demo["users"]["paedagog"])
                    .order_by(AuditEntry.id)
                )
            )
            db.session.expunge_all()
            return rows

    def newest_id() -> int:
        with app.app_context():
            return int(db.session.scalar(select(func.max(AuditEntry.id))) or 0)

    tablet = Device(as_user("paedagog"))
    for n in range(1, 4):
        mark = newest_id()
        tablet.pull()
        tablet.cursor = ""
        (entry,) = pulls()
        assert entry.id > mark and entry.detail.startswith(f"pulls={n};")
    assert entry.record_id and entry.record_id.startswith("device:")
    other = Device(as_user("paedagog"))  # a second tablet of the same person
    other.pull()
    assert len({e.record_id for e in pulls()}) == 2 and len(pulls()) == 2
    # No session secret is kept: the device is a hash of the sign-in's id.
    with app.app_context():
        sessions = set(db.session.scalars(select(AuthSession.id)))
    assert not any(s in (e.record_id or "") for e in pulls() for s in sessions)


def test_the_log_shows_a_month_at_a_time_and_older_days_on_request(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """The page's cost stays flat as months pile up (issue 26): the newest 31 days, and a
    link to the days before, where an older reading is."""
    from server.audit import record_many
    from server.extensions import db
    from server.models._common import utcnow

    familie: ApiClient = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    emma = demo["children"]["Emma"]
    with app.test_request_context():
        record_many([("read", "minutes", None, emma, "")])
        db.session.commit()
        old = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert old is not None
        old.at = utcnow() - timedelta(days=40)
        db.session.commit()
    mor = phone(app, invitation_links(app, emma)["mor"])
    page = mor.get("/p/access").get_data(as_text=True)
    assert "Her står de sidste 31 dage" in page
    assert not any("læste mødets referat" in t for t in _items(page, "access"))
    older = re.search(r'href="(/p/access\?before=[0-9-]+)">Vis de 31 dage før', page)
    assert older is not None
    before = mor.get(older.group(1)).get_data(as_text=True)
    assert any("Trivsel (automatisk) læste mødets referat" in t for t in _items(before, "access"))
    assert 'href="/p/access">Vis de nyeste' in before
    assert mor.get("/p/access?before=not-a-date").status_code == 200
