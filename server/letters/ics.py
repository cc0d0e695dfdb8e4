"""The next meeting as an iCalendar file ("Tilføj til kalender")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from server.text import catalogue

MEETING_LENGTH = timedelta(hours=1, minutes=30)


def next_meeting_ics(snapshot: dict[str, Any], report_id: str, lang: str = "da") -> bytes | None:
    """One VEVENT for the next meeting; None when no next meeting was agreed."""
    nxt = snapshot.get("next_meeting")
    if not nxt:
        return None
    starts = datetime.fromisoformat(nxt["starts_at"])
    cal = Calendar()
    cal.add("prodid", "-//Trivsel//trivselsmoeder//DA")
    cal.add("version", "2.0")
    event = Event()
    # Stable per report, so adding it twice updates the same calendar entry.
    event.add("uid", f"next-{report_id}@trivsel")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + MEETING_LENGTH)
    event.add(
        "summary",
        catalogue(lang).T["calendar_summary"].format(child=snapshot["child"]["first_name"]),
    )
    if nxt.get("place"):
        event.add("location", nxt["place"])
    cal.add_component(event)
    return bytes(cal.to_ical())
