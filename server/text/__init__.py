"""Every text the server writes for families, one catalogue per language: ``da.py`` and its
English twin ``en.py`` (the tablet's is pwa/src/i18n/da.ts; the staff app is Danish only)."""

from __future__ import annotations

from server.text import da, en
from server.text.catalogue import Catalogue

LANGUAGES = ("da", "en")
DEFAULT = "da"
_BY_LANGUAGE: dict[str, Catalogue] = {"da": da, "en": en}


def language(code: str | None) -> str:
    """A language this server writes in: the code itself when known, else Danish."""
    return code if code in _BY_LANGUAGE else DEFAULT


def catalogue(code: str | None = DEFAULT) -> Catalogue:
    """The catalogue of a language (Danish for an unknown or missing one)."""
    return _BY_LANGUAGE[language(code)]
