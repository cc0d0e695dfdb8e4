"""The access log in words a parent understands: "Frida Jensen fra Familieindgangen læste
mødets referat", not "family_unit sync pull".

Each audit entry (who, what action, which kind of record, a detail) becomes a sentence: the
person by name and where they work, and what they did in plain Danish (``da.ACCESS``). The
same sentence by the same person on the same day is one line with a count and the time span
— a tablet fetches the course every few minutes while it is in use, and a parent wants to
know *that* Frida's tablet had the course that day, not each of forty fetches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Institution, User
from server.text import da


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
        9.02\u201316.40' (da.when, da.day and da.hour_minute: the one way dates are written)."""
        if self.count == 1:
            return da.when(self.last)
        return da.ACCESS_TIMES.format(
            day=da.day(self.day),
            n=self.count,
            first=da.hour_minute(self.first),
            last=da.hour_minute(self.last),
        )


def describe(rows: Iterable[AuditEntry]) -> list[Line]:
    """The lines for these entries (newest first), repeated sentences of a day grouped."""
    rows = list(rows)
    people = _people({r.actor_id for r in rows if r.actor_type == "user" and r.actor_id})
    lines: dict[tuple[str | None, str, str, date], Line] = {}
    for row in rows:
        who = people.get(row.actor_id or "") or _fallback_name(row)
        what = sentence(row.action, row.entity, row.detail)
        day = row.at.astimezone(da.LOCAL).date()
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
            return da.ACCESS["meeting_finished"]
    if entity == "course" and action == "update":
        for prefix, key in (
            ("handed_over", "course_handed_over"),
            ("member+", "member_added"),
            ("member-", "member_removed"),
        ):
            if detail.startswith(prefix):
                return da.ACCESS[key]
    if entity == "course" and action == "delete" and detail.startswith("retention"):
        return da.ACCESS["course_retention"]
    return (
        da.ACCESS.get(f"{action} {entity}")
        or da.ACCESS.get(f"* {entity}", "")
        or da.ACCESS["other"]
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
        uid: da.ACCESS_WHO.get(role, "{name}").format(name=name, place=place or "")
        if not (role == "educator" and not place)
        else da.ACCESS_WHO["educator_nowhere"].format(name=name)
        for uid, name, role, place in rows
    }


def _fallback_name(row: AuditEntry) -> str:
    """A user who no longer exists, or the system itself (retention, jobs)."""
    if row.actor_type == "system":
        return da.ACCESS_WHO["system"]
    name, _, _role = row.actor_name.partition(" (")
    return name or da.ACCESS_WHO["system"]
