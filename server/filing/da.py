"""The Danish words a filing carries into the case system (its title and description)."""

from __future__ import annotations

T: dict[str, str] = {
    # Names neither the child nor anything from the board: the case system shows the title
    # in lists that more people read than the case.
    "title": "Rapport fra trivselsmøde {day} (version {number})",
    "description": (
        "Rapport fra et trivselsmøde i Trivsel med tavlens billeder. Udgivet til forældrene "
        "{published}."
    ),
}
