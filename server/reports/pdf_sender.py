"""Who sent a document and whom to call (issue 21), in the report PDF and the agenda letter:
the municipality at the top, with its logo when that is a picture ReportLab draws (PNG or
JPEG); the course leader's and the municipality's phone, e-mail and address at the end, with
where to read how the municipality handles personal data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Table

from server.parents.sender import contact_lines
from server.reports.pdf_kit import paragraph
from server.text import catalogue

_RASTER = (".png", ".jpg", ".jpeg")


def letterhead(sender: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Any]:
    """The municipality's name (and logo) above the title."""
    town = sender["municipality"]
    if not town["name"]:
        return []
    name = paragraph(town["name"], s["h2"])
    logo = Path(str(current_app.config["MUNICIPALITY_LOGO"]))
    if logo.suffix.lower() not in _RASTER or not logo.is_file():
        return name
    image = Image(str(logo))
    scale = 12 * mm / max(image.imageWidth, image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    row = Table([[image, name]], colWidths=[16 * mm, None], hAlign="LEFT")
    return [row]


def contact(sender: dict[str, Any], s: dict[str, ParagraphStyle], lang: str = "da") -> list[Any]:
    """The document's last part, in ``lang``: whom to call, and how data is handled."""
    words = catalogue(lang).SENDER
    lines = contact_lines(sender, lang)
    privacy = sender["municipality"]["privacy_url"]
    if privacy:
        lines.append(words["privacy_mail"].format(url=privacy))
    if not lines:
        return []
    out: list[Any] = paragraph(words["pdf_heading"], s["h2"])
    for line in lines:
        out += paragraph(line, s["body"])
    return out
