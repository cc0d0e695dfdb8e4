"""Names of uploaded documents, made safe to keep, show and offer as a download.

A file name comes from the uploader's machine and later lands on staff's and parents'
machines: it may hold a path (``../../x``, ``C:\\x``), control characters, right-to-left
overrides that disguise an extension (``rapport<RLO>fdp.exe``), quotes that break a header,
or thousands of characters. The kept name is the last path part, without control or
formatting characters, at most ``MAX_LENGTH`` characters, and always ends in the extension
of what the file really is.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_LENGTH = 120
EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",)}
FALLBACK = "dokument"


def safe_filename(name: str | None, content_type: str) -> str:
    """A name to keep and offer for a file of ``content_type``."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]  # no folders, on any system
    text = "".join(_character(ch) for ch in text)
    text = re.sub(r"[<>:|?*]", "_", text.replace('"', "'"))  # not allowed in Windows names
    text = re.sub(r"\s+", " ", text).strip(" .")
    extensions = EXTENSIONS.get(content_type, ("",))
    stem, dot, ext = text.rpartition(".")
    if dot and f".{ext.lower()}" in extensions:
        stem, ext = stem.rstrip(" ."), f".{ext.lower()}"
    else:
        stem, ext = text, extensions[0]
    stem = stem[: MAX_LENGTH - len(ext)].rstrip(" .") or FALLBACK
    return stem + ext


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII name for old clients and the UTF-8 name (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ ()'-]", "_", ascii_name).strip() or FALLBACK
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _character(ch: str) -> str:
    category = unicodedata.category(ch)
    if category[0] == "C":  # control, format (bidi overrides), surrogate, private, unassigned
        return ""
    if category[0] == "Z":  # every kind of space and line separator
        return " "
    return ch
