"""A published version's page, made once: when it is published, never on a view.

A published version never changes (publish.py: ``unchangeable``), so its page and its JSON
are made when it is published and kept (``ReportPage``). A view then costs the phone's
session check, one row, the parents' comments (the one part that changes after
publication, put in at ``COMMENTS``), the audit entry and the read receipt.

Versions published before this existed are made at their first view and kept the same way.
The page keeps the words and layout it was published with, as the PDF already did.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, render_template
from markupsafe import Markup

from server.extensions import db
from server.models import Report, ReportPage
from server.models._common import utcnow
from server.parents.sender import of_report
from server.reports.chart import scaling_chart

# Where the comments go. Every value of the page is escaped by Jinja (a "<" becomes "&lt;"),
# so no text of the report can make this comment; the last one is taken all the same.
COMMENTS = "<!--trivsel:comments-->"


def freeze(report: Report) -> ReportPage:
    """The page and JSON of a version just published (or not yet made), added to the
    session with it."""
    page = ReportPage(
        report_id=report.id,
        course_id=report.course_id,
        html=render_page(report),
        html_en=render_page(report, "en"),
        json_body=render_json(report),
        rendered_at=utcnow(),
    )
    page.report = report  # written after the report's row
    db.session.add(page)
    return page


def render_page(report: Report, lang: str = "da") -> str:
    """The report page from the version's frozen snapshot in a language (its words, the
    language switch leading to its own address), with ``COMMENTS`` where the parents'
    comments go."""
    from server.text.words import page_words

    return render_template(
        "parent/report.html",
        **page_words(lang),
        language_here=f"/p/reports/{report.meeting_id}",
        r=report,
        s=report.snapshot,
        parse=datetime.fromisoformat,
        parse_date=date.fromisoformat,
        chart=scaling_chart(report.snapshot.get("scaling"), lang),
        sender=of_report(report.snapshot),
        comments=Markup(COMMENTS),  # noqa: S704 - our own constant, no input
    )


def render_json(report: Report) -> str:
    """The version as ``/p/reports/<meeting>.json`` answers it."""
    return str(
        current_app.json.dumps(
            {
                "id": report.id,
                "number": report.number,
                "report": report.snapshot,
                "published_at": report.published_at.isoformat() if report.published_at else None,
            }
        )
    )


def with_comments(html: str, comments: str) -> str:
    """The kept page with this view's comments part put in."""
    head, found, tail = html.rpartition(COMMENTS)
    if not found:
        raise ValueError("a kept report page without its place for comments")
    return f"{head}{comments}{tail}"
