"""Real PDF files for the document tests: plain ones, and ones with active content."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain_pdf(title: str = "TOPI") -> bytes:
    """A one-page PDF with nothing active in it (the title makes each one's bytes differ)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": title})
    return _write(writer)


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def active_pdfs() -> dict[str, bytes]:
    """PDFs that would act when opened, each a different way, by name."""
    found: dict[str, bytes] = {}

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    script = writer._add_object(_action("/JavaScript", JS=TextStringObject("app.alert(1);")))
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {  # document-level scripts
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("start"), script])}
            )
        }
    )
    found["javascript_names"] = _write(writer)

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/OpenAction")] = _action(
        "/JavaScript", JS=TextStringObject("app.launchURL('https://example.org');")
    )
    found["javascript_open_action"] = _write(writer)

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/JavaScript", JS=TextStringObject("this.print();"))}
    )
    found["javascript_page_action"] = _write(writer)

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/OpenAction")] = _action(
        "/Launch", F=TextStringObject("cmd.exe")
    )
    found["launch"] = _write(writer)

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("virus.exe", b"MZ\x90\x00")
    found["embedded_file"] = _write(writer)

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): ArrayObject([TextStringObject("template"), NumberObject(0)]),
        }
    )
    found["xfa_form"] = _write(writer)

    # The same JavaScript action, its names written with #-escapes (/#4A#53 is /JS).
    escaped = found["javascript_open_action"].replace(b"/JavaScript", b"/J#61vaScript")
    found["escaped_names"] = escaped.replace(b"/JS ", b"/#4A#53 ")
    return found


def html_in_pdf_clothes() -> bytes:
    """An HTML page between ``%PDF-`` and ``%%EOF``: what was stored as a PDF before."""
    return (
        b"%PDF-1.7\n<html><body><script>fetch('/api/courses')</script>"
        b"<h1>Ressourcevurdering</h1></body></html>\n%%EOF\n"
    )


ATTACKER = "attacker.example"
# What no served copy may hold anywhere, in a string or a stream: the payloads name these.
MARKERS = (
    ATTACKER.encode(),
    b"app.alert",
    b"app.launchURL",
    b"this.print",
    b"cmd.exe",
    b"MZ\x90\x00",
    b"<xdp:xdp",
)
ACTIVE_KEYS = (
    "/OpenAction",
    "/AA",
    "/JS",
    "/JavaScript",
    "/AcroForm",
    "/XFA",
    "/EmbeddedFiles",
    "/EF",
    "/RF",
    "/AF",
    "/Collection",
)
ACTIVE_ANNOTATIONS = (
    "/FileAttachment",
    "/Sound",
    "/Movie",
    "/Screen",
    "/RichMedia",
    "/3D",
    "/Widget",
)


def what_acts(data: bytes) -> list[str]:
    """Everything in the PDF that acts or carries a payload: every object of the file is
    walked (referenced or not), then everything reachable from the trailer, resolved."""
    found: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        seen: set[tuple[int, int]] = set()
        stack: list[Any] = [pdf.trailer, *pdf.objects]
        while stack:
            item = stack.pop()
            if not isinstance(item, pikepdf.Object):
                continue  # numbers and booleans come back as Python values
            if item.is_indirect:
                if item.objgen in seen:
                    continue
                seen.add(item.objgen)
            if isinstance(item, Dictionary | Stream):
                found.extend(_dictionary_problems(item))
                stack.extend(item[key] for key in item.keys())  # noqa: SIM118
            elif isinstance(item, Array):
                stack.extend(item)
            elif isinstance(item, String):
                found.extend(f"string holds {m!r}" for m in MARKERS if m in bytes(item))
    return found


def _dictionary_problems(item: Any) -> list[str]:
    found = [f"key {key}" for key in ACTIVE_KEYS if key in item]
    kind = item.get("/S")
    if isinstance(kind, Name) and str(kind) in _ACTION_NAMES:
        found.append(f"action {kind}")
    if item.get("/S") == Name.GoTo and "/Next" in item:
        found.append("/GoTo with /Next")
    if str(item.get("/Subtype")) in ACTIVE_ANNOTATIONS:
        found.append(f"annotation {item.get('/Subtype')}")
    if isinstance(item, Stream):
        try:
            content = item.read_bytes()
        except pikepdf.PdfError:
            content = item.read_raw_bytes()
        found.extend(f"stream holds {m!r}" for m in MARKERS if m in content)
    return found


_ACTION_NAMES = frozenset(
    f"/{n}"
    for n in (
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
    )
)
