"""Course documents are stored as a rewritten, passive copy of the uploaded PDF (issue 19, 5).

Course documents are opened by staff and by parents, on their own machines. A file that
starts with ``%PDF-`` may still be an HTML page, and a real PDF may run JavaScript when
opened, start a program, send a form somewhere, fetch ``\\\\host\\share`` (which hands a
Windows password hash to that host) or carry other files.

Inspecting the upload and storing it unchanged was bypassed: a reader that looks for
``/S /Launch`` misses ``/S 12 0 R`` (the same name as an indirect object), and whatever one
parser overlooks another reader may run. So the upload is never stored. qpdf (pikepdf)
parses it and writes a new file from what it parsed, after:

- form fields are drawn into the page (so filled-in values stay visible), then the form
  (``/AcroForm``, XFA) is removed;
- every action is removed except a plain ``/GoTo`` (a link to a page of the same
  document), and that one loses its ``/Next`` chain; an action dictionary found anywhere
  else is emptied, so whatever still points at it points at nothing;
- ``/OpenAction``, ``/AA`` (document, page, annotation, field), the name trees other than
  ``/Dests`` (``/JavaScript``, ``/EmbeddedFiles``, ...), embedded and associated files
  (``/EF``, ``/RF``, ``/AF``), portfolios and annotations that play media or hold files are
  removed.

Every dictionary of the file is visited, referenced or not, and names and indirect
objects are compared after qpdf has resolved them. qpdf writes only what the document
still refers to, so a removed action is not in the stored file at all. The copy is
written with a deterministic /ID: the same upload gives the same bytes (and the same
stored file). Streams are copied without decoding them: a compression bomb costs its
compressed size, not what it would expand to.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

MAX_OBJECTS = 200_000  # far beyond a scanned document; bounds the work for a crafted one

# The only action kept: a link to another place in the same document.
_KEPT_ACTION = Name("/GoTo")
# Every action type of ISO 32000-2 (12.6.4) but /GoTo: a dictionary with one of these as
# its /S is an action, wherever it is found, and is emptied.
_ACTIONS = frozenset(
    f"/{name}"
    for name in (
        "GoToR",
        "GoToE",
        "GoToDp",
        "Launch",
        "Thread",
        "URI",
        "Sound",
        "Movie",
        "Hide",
        "Named",
        "SubmitForm",
        "ResetForm",
        "ImportData",
        "JavaScript",
        "SetOCGState",
        "Rendition",
        "Trans",
        "GoTo3DView",
        "RichMediaExecute",
        "ECMAScript",
    )
)
# Keys that make a document act, hold other files or hold a form, in any dictionary.
_REMOVED_KEYS = (
    "/OpenAction",
    "/AA",
    "/JS",
    "/AcroForm",
    "/XFA",
    "/NeedsRendering",
    "/EmbeddedFiles",
    "/JavaScript",
    "/EF",
    "/RF",
    "/AF",
    "/Collection",
    "/RichMediaContent",
    "/RichMediaSettings",
    "/Sound",
    "/Movie",
)
# Annotations that play media, hold a file, or are form fields left over after flattening.
_REMOVED_ANNOTATIONS = frozenset(
    ("/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D", "/Widget")
)
_KEPT_NAME_TREES = ("/Dests",)


class PdfRefused(Exception):
    """The file is not a PDF that can be rewritten; the message says why, for the uploader."""


def sanitize_pdf(data: bytes) -> bytes:
    """The passive copy of ``data`` that is stored and served in its place."""
    if not data.startswith(b"%PDF-"):
        raise PdfRefused("The file is not a PDF.")
    try:
        with pikepdf.open(io.BytesIO(data), password="") as pdf:
            if len(pdf.objects) > MAX_OBJECTS:
                raise PdfRefused("The PDF has more objects than a document needs.")
            if len(pdf.pages) < 1:
                raise PdfRefused("The PDF has no pages.")
            _flatten_forms(pdf)
            _strip(pdf)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    except PdfRefused:
        raise
    except pikepdf.PasswordError as exc:
        raise PdfRefused("The PDF is protected by a password; attach it without one.") from exc
    except Exception as exc:  # qpdf raises several kinds on damaged input; all mean the same
        raise PdfRefused(
            "The file is not a readable PDF (it is damaged or is another kind of file)."
        ) from exc
    return out.getvalue()


def _flatten_forms(pdf: pikepdf.Pdf) -> None:
    """Draw what form fields and other annotations show into the pages, as qpdf does."""
    if "/AcroForm" in pdf.Root:
        # A field qpdf cannot draw is removed with the form, undrawn.
        with contextlib.suppress(pikepdf.PdfError):
            pdf.generate_appearance_streams()
    pdf.flatten_annotations("all")


def _strip(pdf: pikepdf.Pdf) -> None:
    names = pdf.Root.get("/Names")
    if isinstance(names, Dictionary):
        for key in list(names.keys()):
            if key not in _KEPT_NAME_TREES:
                del names[key]
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, Array):
            page.obj[Name.Annots] = Array([a for a in annots if not _removed_annotation(a)])
    for obj in [pdf.trailer, *pdf.objects]:
        _clean_tree(obj)


def _removed_annotation(annot: Any) -> bool:
    return not isinstance(annot, Dictionary) or str(annot.get("/Subtype")) in (_REMOVED_ANNOTATIONS)


def _clean_tree(root: Any) -> None:
    """Clean ``root`` and the direct objects inside it (indirect ones are visited as such)."""
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, Dictionary | Stream):
            _clean(item)
            children = [item[key] for key in item.keys()]  # noqa: SIM118 - pikepdf mapping
        elif isinstance(item, Array):
            children = list(item)
        else:
            continue
        # Numbers come back as Python values; indirect objects are visited on their own.
        stack.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Object) and not child.is_indirect
        )


def _clean(item: Any) -> None:
    for key in _REMOVED_KEYS:
        if key in item:
            del item[key]
    kind = item.get("/S")
    if isinstance(kind, Name) and str(kind) in _ACTIONS and not isinstance(item, Stream):
        for key in list(item.keys()):
            del item[key]
        return
    if kind == _KEPT_ACTION and "/Next" in item:
        del item["/Next"]
    if "/A" in item:
        action = item.get("/A")
        if not (isinstance(action, Dictionary) and action.get("/S") == _KEPT_ACTION):
            del item["/A"]
