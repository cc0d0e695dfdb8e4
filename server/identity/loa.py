"""Assurance levels (NSIS: Low < Substantial < High), as NemLog-in's brokers and Entra ID
write them: the NSIS URI claim, or a short ``acr`` value."""

from __future__ import annotations

from enum import IntEnum

NSIS_LOA_CLAIM = "https://data.gov.dk/concept/core/nsis/loa"
_NSIS_PREFIX = NSIS_LOA_CLAIM + "/"


class Loa(IntEnum):
    """Ordered so that a comparison with a minimum is plain ``>=``."""

    LOW = 1
    SUBSTANTIAL = 2
    HIGH = 3

    @classmethod
    def parse(cls, value: object) -> Loa | None:
        """The level a claim's value names, or None for a value no level matches.

        Accepts ``https://data.gov.dk/concept/core/nsis/loa/Substantial`` and the bare name
        (``Substantial``, any case), which is how brokers that map NSIS to ``acr`` send it."""
        if not isinstance(value, str):
            return None
        name = value.removeprefix(_NSIS_PREFIX).strip().upper()
        return cls.__members__.get(name)

    @property
    def label(self) -> str:
        """The NSIS spelling (``Substantial``), for messages and docs."""
        return self.name.capitalize()


def parse_minimum(setting: str) -> Loa:
    """A minimum from a setting (``PARENT_MIN_LOA=Substantial``); an unknown one is an error,
    never silently Low."""
    level = Loa.parse(setting)
    if level is None:
        raise ValueError(f"unknown assurance level {setting!r}: use Low, Substantial or High")
    return level
