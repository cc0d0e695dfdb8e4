"""English texts of the letter channel, the same keys as ``letters.py`` (whose rules hold:
nothing here may name a child or repeat anything from a meeting)."""

from __future__ import annotations

T: dict[str, str] = {
    "title": "New letter from Familieindgangen",
    "notification": "You have a new letter from Familieindgangen. Log in to read it.",
    "cover_name": "letter.pdf",
    "cover_label": "Cover letter",
    "notice_subject": "New letter from Familieindgangen",
    "notice_body": (
        "Hello\n\n"
        "You have a new letter from Familieindgangen.\n"
        "You can read it on the parents' page when you have logged in:\n\n{link}\n\n"
        "We do not send the letter by e-mail, because it is about a child.\n\n{signature}"
    ),
}

PAGE: dict[str, str] = {
    "heading": "Letters",
    "none": "You have no letters right now. We will tell you when you get one.",
    "agenda": "The agenda for the {kind_lower} on {when}",
    "open": "Open the letter (PDF)",
}
