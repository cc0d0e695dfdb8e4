"""What every Trivsel PDF (the report, the agenda letter, a letter's own text) is made with:
the document's HTML, from the same Jinja template as its page, printed by WeasyPrint.

The PDFs are PDF/A-2b (archivable: fonts embedded, colours in sRGB, XMP metadata) and tagged
(headings, lists, tables and figures in reading order, ``Lang da`` from ``<html lang>``,
alternative text on the photos and the chart), so that the filed copy can be kept and read
aloud. Every text the API accepts must render (issue 19): Pango breaks a word wider than its
line (``overflow-wrap: anywhere`` in the print stylesheet), shapes Arabic and right-to-left
text, and falls back to any installed font for a script DejaVu lacks. Should a document
still fail to be made, the same input would fail the same way every time, so it is a
refusal (``DocumentFailed``, 422 ``document_failed``) that the tablet shows its author,
never a server fault it sends again for ever.
"""

from __future__ import annotations

import base64
import re
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import current_app, render_template
from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

from server.errors import ApiError

# PDF/A-2b, the archival level the filing asks for; ``pdf_tags`` adds the structure tree
# (PDF/UA's headings and reading order) on top of it (WeasyPrint >= 61).
VARIANT = "pdf/a-2b"
# Line breaks as str.splitlines knows them (\v, \f, \x1c-\x1e, \x85, U+2028, U+2029) are made
# "\n" first, which the print stylesheet keeps (white-space: pre-line); what is left of the
# control characters the API accepts (a tab, \x01) prints as a space. Done on the rendered
# HTML, whose own markup holds no control characters but \n and \r.
_BREAKS = str.maketrans(dict.fromkeys([0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029], "\n"))
_CONTROL = re.compile("[\x00-\x09\x0e-\x1f\x7f-\x9f]")
# Pango finds where to break a word that has no break opportunity in time growing with the
# square of its length (5,000 letters: 0.35 s; the 50,000 the minutes may hold: about 35 s).
# A zero-width space, which no reader copies (pdftotext, pypdf), is put in every ``_RUN``
# letters of such a word, before a letter or digit, so that it never splits a character
# from its marks or an emoji sequence.
_RUN = 24
_LONG_WORD = re.compile(r"[^\s<>&]{48,}")
_TEXT = re.compile(r">[^<]+<")  # a text between tags: never an attribute (a photo's data URL)
# One font configuration per thread, kept: building one reads the system's fonts, and it caches
# the @font-face files (by their rule) and the measures Pango made with them, about a fifth of
# a small letter's time (python -m bench pdf). Per thread, as Pango's font map is not shared
# safely between threads.
_kept = threading.local()
_RASTER = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


class DocumentFailed(ApiError):
    """A document that could not be made from what it holds: a refusal, not a fault."""

    def __init__(self, what: str) -> None:
        super().__init__(
            422,
            f"The {what} could not be made from what it holds. Shorten or "
            "change its texts and try again.",
            "document_failed",
        )


class _LocalOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Fetches the fonts of ``PDF_FONT_DIR`` and the pictures put in as ``data:`` URLs, and
    nothing else: a document holds the child's texts, and no text (escaped as they are)
    nor a future template slip may make the server fetch from the network or read a file."""

    def __init__(self, fonts: Path) -> None:
        super().__init__(allowed_protocols=("data", "file"))
        self._fonts = fonts.resolve()

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.parent != self._fonts or path.suffix.lower() not in (".ttf", ".otf"):
                raise ValueError("only the documents' fonts are read from files")
        return super().fetch(url, headers)


def data_url(data: bytes, mimetype: str) -> str:
    """Bytes as a ``data:`` URL, the one way a picture gets into a document."""
    return f"data:{mimetype};base64,{base64.b64encode(data).decode()}"


def logo_url() -> str | None:
    """The municipality's logo (``MUNICIPALITY_LOGO``) for the letterhead when it is a
    picture file on this server; None otherwise (the name alone heads the letter)."""
    logo = Path(str(current_app.config["MUNICIPALITY_LOGO"]))
    mimetype = _RASTER.get(logo.suffix.lower())
    if mimetype is None or not logo.is_file():
        return None
    return data_url(logo.read_bytes(), mimetype)


def fonts_css() -> str:
    """``@font-face`` rules for DejaVu Sans from ``PDF_FONT_DIR`` (Debian's fonts-dejavu-core),
    so every PDF embeds the same fonts whatever the machine's default sans-serif is."""
    folder = Path(current_app.config["PDF_FONT_DIR"])
    rules = []
    for weight, name in (("normal", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf")):
        if (folder / name).is_file():
            url = (folder / name).resolve().as_uri()
            face = f'font-family: "Trivsel"; font-weight: {weight}; src: url("{url}");'
            rules.append(f"@font-face {{ {face} }}")
    if not rules:
        current_app.logger.warning(
            "PDF_FONT_DIR %s has no DejaVu Sans: PDFs use the system's sans-serif", folder
        )
    return "\n".join(rules)


@contextmanager
def making(what: str) -> Iterator[None]:
    """Around everything that lays a document out: any failure there is ``DocumentFailed``.
    Reading what goes in (stored photos) stays outside, so that a store that is down is a
    fault to retry. The log names the exception and where, not its message, which may quote
    the child's text."""
    try:
        yield
    except ApiError:
        raise
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        current_app.logger.error(
            "The %s could not be made: %s at %s:%s",
            what,
            type(exc).__name__,
            Path(where.filename).name,
            where.lineno,
        )
        raise DocumentFailed(what) from exc


def render_pdf(template: str, **context: Any) -> bytes:
    """The PDF of a document template (``documents/*.html``, which extend the print layout)
    with ``context``. Called inside ``making``."""
    html = render_template(template, fonts_css=fonts_css(), **context)
    return write_pdf(html)


def write_pdf(html: str) -> bytes:
    """HTML (a whole print page) as a tagged PDF/A-2b."""
    html = _CONTROL.sub(" ", html.translate(_BREAKS))
    head, body, tail = html.partition("<body")
    html = head + body + _TEXT.sub(lambda text: _LONG_WORD.sub(_breakable, text[0]), tail)
    fetcher = _LocalOnly(Path(current_app.config["PDF_FONT_DIR"]))
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(
        font_config=_font_config(), pdf_variant=VARIANT, pdf_tags=True
    )
    assert isinstance(pdf, bytes)
    return pdf


def _breakable(found: re.Match[str]) -> str:
    """A long run of text (never markup nor an entity: ``_LONG_WORD`` stops at them) with a
    zero-width space before a letter or digit every ``_RUN`` characters."""
    out: list[str] = []
    since = 0
    for char in found.group(0):
        if since >= _RUN and char.isalnum() and out[-1] != "\u200d":
            out.append("\u200b")
            since = 0
        out.append(char)
        since += 1
    return "".join(out)


def _font_config() -> Any:
    """This thread's WeasyPrint font configuration (``_kept``)."""
    found = getattr(_kept, "fonts", None)
    if found is None:
        found = _kept.fonts = FontConfiguration()
    return found
