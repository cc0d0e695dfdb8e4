"""The report as a PDF (ReportLab): what parents download and what is filed.

Made from the frozen snapshot, so the parents' copy and the filed copy are the same document.
The fonts (``pdf_kit``) are embedded, so every Danish letter prints and the text can be
searched and copied; every text the API accepts renders (``pdf_kit``'s docstring).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from functools import partial
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    Spacer,
)

from server.models import Report
from server.parents.sender import of_report
from server.photos.copies import print_bytes
from server.reports import pdf_sender
from server.reports import pdf_story as story_parts
from server.reports.pdf_kit import (
    WIDTH,
    build,
    bullets,
    fonts,
    making,
    paragraph,
    styles,
)
from server.text import catalogue
from server.text.catalogue import Catalogue


def report_pdf(report: Report, comments: Sequence[dict[str, Any]] = (), lang: str = "da") -> bytes:
    """The PDF of one published version, with the parents' comments on it (from
    ``comments.as_filed``) at the end: everything else comes from the frozen snapshot. Its
    words are in ``lang`` (a parent's choice, issue 21; the filed copy is Danish)."""
    w = catalogue(lang)
    snap: dict[str, Any] = report.snapshot
    # The photos are read before the layout: a store that cannot be read is a fault to try
    # again, not a document that cannot be made (pdf_kit.making).
    photos = [print_bytes(photo["content_hash"]) for photo in snap["photos"]]
    with making("report PDF"):
        s = styles()
        meeting = snap["meeting"]
        sender = of_report(snap)
        story: list[Any] = [
            *pdf_sender.letterhead(sender, s),
            *paragraph(w.T["report_title"], s["title"]),
            *paragraph(
                w.T["about"].format(
                    child=f"{snap['child']['first_name']} {snap['child']['last_name']}"
                ),
                s["h2"],
            ),
            *paragraph(
                f"{w.MEETING_KINDS.get(meeting['kind'], '')}. {_held(meeting, w)}", s["body"]
            ),
        ]
        if report.number > 1:
            story += paragraph(w.T["corrected"].format(when=w.when(report.published_at)), s["body"])
        story += _review(snap, s, w) + _participants(snap, s, w) + _board(snap, s, w)
        story += _photos(snap, photos, s, w) + _agreements(snap, s, w) + _next(snap, s, w)
        if snap.get("minutes"):
            story += paragraph(w.T["minutes"], s["h2"]) + paragraph(snap["minutes"], s["body"])
        story += story_parts.scaling(snap, s, w) + story_parts.comments(comments, s, w)
        story += pdf_sender.contact(sender, s, lang)
        story += [
            Spacer(1, 8 * mm),
            *paragraph(
                w.T["pdf_made"].format(when=w.when(report.published_at), version=report.number),
                s["small"],
            ),
        ]
        return build(story, w.T["report_title"], partial(_footer, w=w))


def _footer(canvas: Any, doc: Any, w: Catalogue) -> None:
    canvas.saveState()
    canvas.setFont(fonts()[0], 8)
    canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, w.T["pdf_page"].format(n=doc.page))
    canvas.restoreState()


def _held(meeting: dict[str, Any], w: Catalogue) -> str:
    """When the meeting was held: finished at the table (held_at), else its planned time."""
    place = f", {meeting['place']}" if meeting["place"] else ""
    starts = datetime.fromisoformat(meeting["starts_at"]).astimezone(w.LOCAL)
    if not meeting.get("held_at"):
        return w.T["held"].format(when=w.when(starts), place=place)
    held = datetime.fromisoformat(meeting["held_at"]).astimezone(w.LOCAL)
    text = w.STORY["held_at"].format(day=w.day(held.date()), time=w.hour_minute(held), place=place)
    if held.date() != starts.date():
        text += " " + w.STORY["planned"].format(when=w.when(starts))
    return text


def _review(snap: dict[str, Any], s: dict[str, ParagraphStyle], w: Catalogue) -> list[Any]:
    review = snap.get("review")
    if not review:
        return []
    out: list[Any] = paragraph(w.STORY["review"], s["h2"])
    if not review["agreements"]:
        return out + paragraph(w.STORY["no_review"], s["body"])
    when = w.day(datetime.fromisoformat(review["starts_at"]).astimezone(w.LOCAL).date())
    out += paragraph(w.STORY["review_intro"].format(when=when), s["body"])
    return [
        *out,
        *bullets(
            [
                f"{a['what']} ({w.OWNERS.get(a['owner'], '')}): "
                f"{w.OUTCOMES.get(a['outcome'], w.OUTCOMES[None])}"
                for a in review["agreements"]
            ],
            s["body"],
        ),
    ]


def _participants(snap: dict[str, Any], s: dict[str, ParagraphStyle], w: Catalogue) -> list[Any]:
    out: list[Any] = paragraph(w.T["participants"], s["h2"])
    for person in snap["participants"]:
        state = w.T["present"] if person["present"] else w.T["absent"]
        role = w.ROLES.get(person["role"], "")
        out += paragraph(f"{person['name']} ({role}) {w.T['dash']} {state}", s["body"])
    if snap.get("child_participation"):
        out += paragraph(w.PARTICIPATION[snap["child_participation"]] + ".", s["body"])
    if snap.get("child_perspective"):
        out += paragraph(w.T["child_perspective"], s["h2"])
        out += paragraph(snap["child_perspective"], s["body"])
    return out


def _board(snap: dict[str, Any], s: dict[str, ParagraphStyle], w: Catalogue) -> list[Any]:
    out: list[Any] = paragraph(w.T["board"], s["h2"])
    for column, notes in snap["columns"].items():
        out += paragraph(w.COLUMNS[column], s["h2"])
        if notes:
            out += bullets(notes, s["body"])
        else:
            out += paragraph(w.T["no_notes"], s["body"])
    return out


def _photos(
    snap: dict[str, Any], prints: list[bytes], s: dict[str, ParagraphStyle], w: Catalogue
) -> list[Any]:
    if not snap["photos"]:
        return []
    out: list[Any] = paragraph(w.T["photos"], s["h2"])
    for photo, data in zip(snap["photos"], prints, strict=True):
        img = Image(io.BytesIO(data))
        scale = min(WIDTH / img.imageWidth, (120 * mm) / img.imageHeight)
        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
        # The photo with its caption's first lines on one page; a long caption flows on.
        caption = paragraph(photo["caption"], s["small"]) if photo.get("caption") else []
        out += [KeepTogether([img, *caption[:3]]), *caption[3:], Spacer(1, 4 * mm)]
    return out


def _agreements(snap: dict[str, Any], s: dict[str, ParagraphStyle], w: Catalogue) -> list[Any]:
    """Each agreement as a list item (what; then who and by when): not a table, whose rows
    ReportLab splits across pages only at a cost growing with the square of their lines."""
    out: list[Any] = paragraph(w.T["agreements"], s["h2"])
    if not snap["agreements"]:
        return out + paragraph(w.T["no_agreements"], s["body"])
    items: list[Any] = []
    for item in snap["agreements"]:
        who = f"{w.T['owner']}: {w.OWNERS.get(item['owner'], '')}"
        if item.get("due_date"):
            who += f" {w.T['dash']} {w.T['due']}: {w.day(date.fromisoformat(item['due_date']))}"
        items.append(
            ListItem(
                [
                    *paragraph(item["what"], s["body"]),
                    *paragraph(who, s["small"]),
                    Spacer(1, 2 * mm),
                ]
            )
        )
    return [*out, ListFlowable(items, bulletType="bullet", leftIndent=12)]


def _next(snap: dict[str, Any], s: dict[str, ParagraphStyle], w: Catalogue) -> list[Any]:
    nxt = snap.get("next_meeting")
    text = w.T["no_next"]
    if nxt:
        place = f", {nxt['place']}" if nxt.get("place") else ""
        text = w.when(datetime.fromisoformat(nxt["starts_at"])) + place
    return paragraph(w.T["next_meeting"], s["h2"]) + paragraph(text, s["body"])
