"""The access log in words a parent understands: "Frida Jensen fra Familieindgangen læste
mødets referat", not "family_unit sync pull".

Each audit entry (who, what action, which kind of record, a detail) becomes a sentence: the
person by name and where they work, and what they did in plain Danish (``tr().ACCESS``). The
same sentence by the same person on the same day is one line with a count and the time span.

What a tablet fetched by itself to work offline is told apart from what a person opened
(issue 21): one line per tablet and day, said as such ("Tabletten hos Peter Pædagog fra
Solsikken hentede forløbet for at kunne arbejde uden net"), never counted as if someone
looked 72 times. The server writes one entry per device and day (audit.record_fetches);
entries from before that are folded into the same lines here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from server import audit
from server.extensions import db
from server.models import AuditEntry, Institution, User
from server.parents.language import text as tr


@dataclass
class Line:
    """One line of the log: a sentence, how often, and when (first and last time)."""

    child_id: str | None
    who: str
    what: str
    day: date
    first: datetime
    last: datetime
    count: int = 1

    @property
    def text(self) -> str:
        return f"{self.who} {self.what}"

    @property
    def when(self) -> str:
        """'3. december 2026 kl. 16.40', or with a count: '3. december 2026, 12 gange kl.
        9.02\u201316.40' (the catalogue's when, day and hour_minute: the one way dates are
        written), in the page's language."""
        if self.count == 1:
            return tr().when(self.last)
        # Several in the same minute: "kl. 7.42", never a range from 7.42 to 7.42.
        if tr().hour_minute(self.first) == tr().hour_minute(self.last):
            return tr().ACCESS_TIMES_ONE.format(
                day=tr().day(self.day), n=self.count, at=tr().hour_minute(self.last)
            )
        return tr().ACCESS_TIMES.format(
            day=tr().day(self.day),
            n=self.count,
            first=tr().hour_minute(self.first),
            last=tr().hour_minute(self.last),
        )


@dataclass
class Fetch:
    """One tablet's fetches of a child's course on one day: one line, however many pulls."""

    child_id: str | None
    who: str
    day: date
    last: datetime

    @property
    def text(self) -> str:
        return tr().ACCESS_FETCH.format(who=self.who)

    @property
    def when(self) -> str:
        return tr().day(self.day)


def is_fetch(row: AuditEntry) -> bool:
    """A tablet's automatic pull, not a person opening something."""
    return (row.action, row.entity) == audit.FETCH


def fetches(rows: Iterable[AuditEntry]) -> list[Fetch]:
    """One line per tablet, child and day (newest first) for the pulls among these entries.
    A tablet is its sign-in (the entry's device); older entries, written per pull without
    one, are one line per person, child and day."""
    rows = [r for r in rows if is_fetch(r)]
    people = _people({r.actor_id for r in rows if r.actor_type == "user" and r.actor_id})
    lines: dict[tuple[str | None, str, str | None, date], Fetch] = {}
    for row in rows:
        who = people.get(row.actor_id or "") or _fallback_name(row)
        day = row.at.astimezone(tr().LOCAL).date()
        key = (row.child_id, who, row.record_id, day)
        line = lines.get(key)
        if line is None:
            lines[key] = Fetch(row.child_id, who, day, row.at)
        else:
            line.last = max(line.last, row.at)
    return sorted(lines.values(), key=lambda line: line.last, reverse=True)


def describe(rows: Iterable[AuditEntry]) -> list[Line]:
    """The lines for what people opened or changed (newest first), repeated sentences of a
    day grouped; a tablet's automatic fetches are ``fetches``' lines, not these."""
    rows = [r for r in rows if not is_fetch(r)]
    people = _people({r.actor_id for r in rows if r.actor_type == "user" and r.actor_id})
    lines: dict[tuple[str | None, str, str, date], Line] = {}
    for row in rows:
        who = people.get(row.actor_id or "") or _fallback_name(row)
        what = sentence(row.action, row.entity, row.detail)
        day = row.at.astimezone(tr().LOCAL).date()
        key = (row.child_id, who, what, day)
        line = lines.get(key)
        if line is None:
            lines[key] = Line(row.child_id, who, what, day, row.at, row.at)
        else:
            line.count += 1
            line.first, line.last = min(line.first, row.at), max(line.last, row.at)
    return sorted(lines.values(), key=lambda line: line.last, reverse=True)


def sentence(action: str, entity: str, detail: str = "") -> str:
    """What was done, in plain Danish ("læste mødets referat")."""
    if entity == "meeting" and action == "update":
        fields = set(detail.partition(":")[2].split(","))
        if "status" in fields:
            return tr().ACCESS["meeting_finished"]
    if entity == "course" and action == "update":
        for prefix, key in (
            ("handed_over", "course_handed_over"),
            ("member+", "member_added"),
            ("member-", "member_removed"),
        ):
            if detail.startswith(prefix):
                return tr().ACCESS[key]
    if entity == "course" and action == "delete" and detail.startswith("retention"):
        return tr().ACCESS["course_retention"]
    return (
        tr().ACCESS.get(f"{action} {entity}")
        or tr().ACCESS.get(f"* {entity}", "")
        or tr().ACCESS["other"]
    )


def _people(ids: set[str]) -> dict[str, str]:
    """Staff by id: "Frida Jensen fra Familieindgangen", "Mette Holm fra Solsikken"."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.name, User.role, Institution.name)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .where(User.id.in_(ids))
    ).all()
    return {
        uid: tr().ACCESS_WHO.get(role, "{name}").format(name=name, place=place or "")
        if not (role == "educator" and not place)
        else tr().ACCESS_WHO["educator_nowhere"].format(name=name)
        for uid, name, role, place in rows
    }


def _fallback_name(row: AuditEntry) -> str:
    """A user who no longer exists, or the system itself (retention, jobs)."""
    if row.actor_type == "system":
        return tr().ACCESS_WHO["system"]
    name, _, _role = row.actor_name.partition(" (")
    return name or tr().ACCESS_WHO["system"]
