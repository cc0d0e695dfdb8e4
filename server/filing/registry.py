"""Which exporter ``FILING_EXPORTER`` names (the contract is in filing/exporters.py).

Kept apart from the contract so an exporter's module imports the contract and the registry
imports the exporters, with no circle between them.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from server.filing.exporters import Exporter, FolderExporter


def _sf2900() -> Exporter:
    from server.filing.sf2900 import Sf2900Exporter

    return Sf2900Exporter(dict(current_app.config))


# Name (FILING_EXPORTER) -> what makes the exporter; the SF2900 client is imported only
# where it is used.
EXPORTERS: dict[str, Callable[[], Exporter]] = {"folder": FolderExporter, "sf2900": _sf2900}


def exporter() -> Exporter:
    """The configured exporter."""
    return EXPORTERS[current_app.config["FILING_EXPORTER"]]()
