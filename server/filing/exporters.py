"""Where a filing goes, chosen by ``FILING_EXPORTER`` (issue 22).

An exporter is a small class with one method, ``send(filing, package) -> Receipt``, in a
module of its own, registered in ``EXPORTERS`` below and named in
``settings.EXPORTER_NAMES`` (docs/architecture.md, "Filing": how to add a third, such as a
specific case system's API). Its contract:

- **Acknowledged or not.** A ``Receipt`` with ``acknowledged=True`` means the receiving side
  has taken the document for good (the folder: written and synced to disk; SF2900: its
  business receipt). Only then does the tablet show "Journaliseret"; until then retention
  keeps the course.
- **Failures raise ``NotFiled``** with a reason that names no person (it is logged and
  kept on the filing); the filing job sends the filing again later.
- **Idempotent.** The same filing may be sent more than once (an answer lost on the way,
  a retry): the exporter makes that one document on the receiving side — the folder by
  writing the same key, SF2900 by sending the filing's id as its transaction id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from flask import current_app

from server.filing.archive import Package
from server.models import Filing
from server.photos.storage.base import StoreError
from server.photos.store import object_store


@dataclass(frozen=True)
class Receipt:
    """The receiving side's answer: where the filing is, and whether it is taken for good."""

    location: str  # shown to staff; never a CPR number
    acknowledged: bool
    note: str = ""  # why not yet (e.g. "MODTAGET: waiting for the case system's receipt")


class NotFiled(Exception):
    """The receiving side did not take the filing this time (the message names no person)."""


class Exporter(Protocol):
    """Delivers a filing's package somewhere and says whether it was acknowledged."""

    def send(self, filing: Filing, package: Package) -> Receipt: ...


class FolderExporter:
    """Stores the zip under ``package.key`` (FILING_DIR by default, or the S3 store's
    ``filing/`` prefix) where the case system or an integration job picks it up. The store
    writes the file whole and fsyncs it before it answers (an S3 store answers once the
    object is stored): that answer is the acknowledgement."""

    def send(self, filing: Filing, package: Package) -> Receipt:
        store = object_store()
        try:
            store.put(package.key, package.zip(), "application/zip")
        except (OSError, StoreError) as exc:  # disk full, bucket away
            raise NotFiled(f"folder: {type(exc).__name__}") from exc
        return Receipt(store.where(package.key), acknowledged=True)


def _sf2900() -> Exporter:
    from server.filing.sf2900 import Sf2900Exporter

    return Sf2900Exporter(dict(current_app.config))


# Name (FILING_EXPORTER) -> what makes the exporter; the SF2900 client is imported only
# where it is used.
EXPORTERS: dict[str, Callable[[], Exporter]] = {"folder": FolderExporter, "sf2900": _sf2900}


def exporter() -> Exporter:
    """The configured exporter."""
    return EXPORTERS[current_app.config["FILING_EXPORTER"]]()
