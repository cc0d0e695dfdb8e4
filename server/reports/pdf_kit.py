"""What every Trivsel PDF (the report, the agenda letter) is made with in ReportLab: the fonts,
the styles, free text as paragraphs, tables whose rows may split, and the build itself.

Every text the API accepts must render (issue 19): a word of 2,000 letters is broken where
the line ends (``splitLongWords``), line breaks of any kind become ``<br/>``, control
characters print as spaces, and a table row taller than a page flows on to the next one
(``splitInRow``) instead of raising ``LayoutError``. Should a document still fail to be
made, the same input would fail the same way every time, so it is a refusal
(``DocumentFailed``, 422 ``document_failed``) that the tablet shows its author, never a
server fault it sends again for ever.
"""

from __future__ import annotations

import io
import re
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from flask import current_app
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from server.errors import ApiError

# DejaVu Sans draws Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic letters
# (unshaped: ReportLab does no Arabic joining nor right-to-left ordering); Bitstream Vera,
# which ReportLab ships, only Latin. Neither has CJK, Indic scripts or emoji: those print as
# the font's empty box, the document is still made.
DEJAVU = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
VERA = (
    Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
    Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
)
WIDTH = A4[0] - 40 * mm  # the text width of every document (20 mm margins)
# Line breaks as str.splitlines knows them (\r, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029) are
# made <br/> first; what is left of the control characters (a tab, \x01) prints as a space.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_fonts: dict[tuple[str, str], tuple[str, str]] = {}


class DocumentFailed(ApiError):
    """A document that could not be made from what it holds: a refusal, not a fault."""

    def __init__(self, what: str) -> None:
        super().__init__(
            422,
            f"The {what} could not be made from what it holds. Shorten or "
            "change its texts and try again.",
            "document_failed",
        )


def fonts() -> tuple[str, str]:
    """The regular and bold font's names, registered once per process: DejaVu Sans from
    ``PDF_FONT_DIR`` (Debian's fonts-dejavu-core), else ReportLab's own Vera (Latin only)."""
    folder = Path(current_app.config["PDF_FONT_DIR"])
    regular, bold = (folder / DEJAVU[0], folder / DEJAVU[1])
    if not (regular.is_file() and bold.is_file()):
        regular, bold = VERA
    key = (str(regular), str(bold))
    if key not in _fonts:
        if regular == VERA[0]:
            current_app.logger.warning(
                "PDF_FONT_DIR %s has no DejaVu Sans: PDFs use Vera, which draws Latin letters only",
                folder,
            )
        names = (regular.stem, bold.stem)
        pdfmetrics.registerFont(TTFont(names[0], str(regular)))
        pdfmetrics.registerFont(TTFont(names[1], str(bold)))
        _fonts[key] = names
    return _fonts[key]


def styles() -> dict[str, ParagraphStyle]:
    """The documents' paragraph styles, in the registered fonts."""
    regular, bold = fonts()
    # splitLongWords (ReportLab's default, said here because the layout depends on it): a
    # word wider than its column is broken where the line ends.
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14, splitLongWords=1)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=bold, fontSize=18, leading=22, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=bold, fontSize=13, leading=17, spaceBefore=10, spaceAfter=4
        ),
        "small": ParagraphStyle(
            "small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555")
        ),
    }


def paragraph(text: str, style: ParagraphStyle, bullet: str | None = None) -> list[Flowable]:
    """Plain text as flowables: escaped (never markup), one paragraph per line, so that every
    kind of line break is kept and a text of many lines costs in proportion (ReportLab splits
    one paragraph of n lines across pages in time n², minutes for the 50,000 characters
    minutes may hold). ``bullet`` marks the first line (a list item's bullet or number)."""
    out: list[Flowable] = []
    for line in text.splitlines() or [""]:
        shown = _CONTROL.sub(" ", escape(line))
        if bullet is not None:
            out.append(Paragraph(shown, style, bulletText=bullet))
            bullet = None
        else:
            out.append(Paragraph(shown, style) if shown.strip() else Spacer(1, style.leading))
    return out


def bullets(texts: Sequence[str], style: ParagraphStyle, kind: str = "bullet") -> list[Flowable]:
    """Texts as a bulleted (or, ``kind="1"``, numbered) list; each item may be many lines.

    Bulleted paragraphs, not ReportLab's ListFlowable: its item wrapper (``LIIndenter.split``)
    refuses any split that leaves one line for the next page, so an item one line taller than
    a page could be placed nowhere and the whole letter failed (a 10,000-character agenda
    point, found by tests/attack/test_pdf_any_text.py). A paragraph splits by its own style's
    widow rule, which always has a way on."""
    item = ParagraphStyle(
        f"{style.name}-item",
        parent=style,
        leftIndent=style.leftIndent + 18,
        bulletIndent=style.leftIndent + 4,
        bulletFontName=style.fontName,
        bulletFontSize=style.fontSize,
    )
    out: list[Flowable] = []
    for number, text in enumerate(texts, start=1):
        out += paragraph(text, item, bullet="\u2022" if kind == "bullet" else f"{number}.")
    return out


def table(rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    """A table with a header row that may split inside a row: a name as long as the API
    allows is taller than a page, and an unsplittable row then raised LayoutError (the report
    could never be made again). Splitting a row costs time n² in its lines: only for short
    texts (names); a long text (an agreement) is not put in a table."""
    made = Table([list(row) for row in rows], colWidths=list(widths), repeatRows=1, splitInRow=1)
    made.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
            ]
        )
    )
    return made


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


def build(story: list[Any], title: str, page: Callable[[Any, Any], None] | None = None) -> bytes:
    """The PDF of ``story`` on A4 with the documents' margins; ``page`` draws on every page.
    Called inside ``making``."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Trivsel",
        lang="da",
    )
    if page is None:
        doc.build(story)
    else:
        doc.build(story, onFirstPage=page, onLaterPages=page)
    return out.getvalue()
