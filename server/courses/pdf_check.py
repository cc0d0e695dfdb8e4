"""Is an uploaded document really a PDF, and a passive one? (issue 10, item 7)

Course documents are opened by staff and by parents, on their own machines. A file that
starts with ``%PDF-`` and ends with ``%%EOF`` may still be an HTML page, and a real PDF may
run JavaScript when opened, start a program, send a form somewhere or carry other files.
So the document is parsed (pypdf), must have a catalogue and at least one page, and every
object in it is inspected; anything that acts instead of being shown is refused. Names are
compared after the parser has decoded them, so ``/#4A#53`` is caught as ``/JS``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_OBJECTS = 200_000  # far beyond a scanned document; bounds the work for a crafted one

# What a PDF may not contain, by the key that gives it away.
_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/XFA": "an XFA form (which can run scripts)",
    "/EmbeddedFiles": "embedded files",
    "/EF": "embedded files",
}
# Actions (``/S``) that run something, send something or fetch something when triggered.
_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "an action that starts a program",
    "/SubmitForm": "a form that sends data",
    "/ImportData": "an action that imports data",
    "/RichMediaExecute": "embedded media",
    "/GoToE": "a link into an embedded file",
}
_SUBTYPES = {
    "/FileAttachment": "an attached file",
    "/RichMedia": "embedded media",
    "/Movie": "embedded media",
    "/Sound": "embedded media",
    "/Screen": "embedded media",
    "/3D": "embedded 3D content",
}


class PdfRefused(Exception):
    """The document is not a passive PDF; the message says why, for the person uploading."""


def check_pdf(data: bytes) -> None:
    """Return when ``data`` is a readable PDF with pages and no active content."""
    if not data.startswith(b"%PDF-"):
        raise PdfRefused("The file is not a PDF.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfRefused("The PDF is protected by a password; attach it without one.")
        if len(reader.pages) < 1:
            raise PdfRefused("The PDF has no pages.")
        found = _first_active(reader)
    except PdfRefused:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged input; all mean the same
        raise PdfRefused("The file is not a readable PDF (it is damaged or is another "
                         "kind of file).") from exc
    if found:
        raise PdfRefused(f"The PDF contains {found}, which is not accepted. Save or print it "
                         "as a plain PDF and attach that.")


def _first_active(reader: PdfReader) -> str | None:
    """What the first active part found is, or None."""
    seen = 0
    for obj in _objects(reader):
        stack: list[Any] = [obj]
        while stack:
            item = stack.pop()
            seen += 1
            if seen > MAX_OBJECTS:
                return "more objects than a document needs"
            if isinstance(item, DictionaryObject):
                found = _active(item)
                if found:
                    return found
                stack.extend(v for v in item.values() if not isinstance(v, IndirectObject))
            elif isinstance(item, ArrayObject):
                stack.extend(v for v in item if not isinstance(v, IndirectObject))
    return None


def _active(item: DictionaryObject) -> str | None:
    for key in item:
        if key in _KEYS:
            return _KEYS[key]
    action, subtype = item.get("/S"), item.get("/Subtype")
    if isinstance(action, str) and action in _ACTIONS:
        return _ACTIONS[action]
    if isinstance(subtype, str) and subtype in _SUBTYPES:
        return _SUBTYPES[subtype]
    return None


def _objects(reader: PdfReader) -> Iterator[Any]:
    """The trailer and every object the cross-reference tables list (referenced or not)."""
    yield reader.trailer
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield reader.get_object(IndirectObject(number, generation, reader))
    for number in reader.xref_objStm:
        yield reader.get_object(number)
