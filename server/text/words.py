"""What every parents' template and document is given in a language (issue 21, point 8).

Here, beside the catalogues, not in server/parents/language.py: the documents
(server/reports/pdf.py, server/letters/agenda.py) use it too, and the parents' package
imports the letters, so the words must not depend on it.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request

from server.text import LANGUAGES, catalogue, language

# The phone's choice (server/parents/language.py sets it).
COOKIE = "trivsel_lang"

# What the switch says, each in its own language (so a reader of either finds it).
SWITCH = {"da": "Dansk", "en": "English"}


def page_words(code: str) -> dict[str, Any]:
    """What every parents' template is given in a language: ``t`` (the page texts), ``da``
    (the catalogue itself, by its old name: dates, meeting kinds, roles), ``story``, and the
    layout's sender and explained words."""
    words = catalogue(code)
    return {
        "t": words.T,
        "da": words,
        "story": words.STORY,
        "da_sender": words.SENDER,
        "da_words": words.WORDS,
        "da_words_ask": words.WORDS_ASK,
        "other_language": next(c for c in LANGUAGES if c != code),
        "switch_words": SWITCH,
    }


def current() -> str:
    """The language of this parents' page: the phone's choice, else the language of the
    guardian the page is for (``g.trivsel_lang``, set by a view that knows), else Danish."""
    if not has_request_context():
        return "da"
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    return language(g.get("trivsel_lang"))
