"""What a case system needs to place a filing without a person matching names (issue 22):
the child's CPR number, the course's reference, the KLE number and action facet, the
document's date and title.

This is the one place a filing decrypts the child's CPR number. It goes into the filing's
metadata for the receiving side and nowhere else: never into a log line, the filing's
``location`` or ``last_error``, an audit entry or an API answer
(tests/attack/test_cpr_never_leaks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app

from server.extensions import db
from server.filing.da import T
from server.identity.cpr import Cpr
from server.models import Child, Course, Report
from server.text import da

# The course's reference in the case system: Trivsel's id of the course, prefixed so a
# person reading the case sees where it came from.
REFERENCE_PREFIX = "TRIVSEL-"


@dataclass(frozen=True)
class Case:
    """Where the document belongs and what it is."""

    cpr: Cpr | None  # None for a child registered without one
    course_reference: str
    kle: str
    facet: str
    document_date: date
    title: str
    description: str

    def as_json(self) -> dict[str, Any]:
        """The metadata file's ``case`` part: the CPR number's digits, on purpose."""
        return {
            "cpr": self.cpr.digits if self.cpr is not None else None,
            "course_reference": self.course_reference,
            "kle": self.kle,
            "facet": self.facet,
            "document_date": self.document_date.isoformat(),
            "title": self.title,
            "description": self.description,
        }


def case_of(report: Report) -> Case:
    """The case metadata of a published report version."""
    course = db.session.get(Course, report.course_id)
    assert course is not None
    child = db.session.get(Child, course.child_id)
    assert child is not None
    config = current_app.config
    # The document's date is the meeting's, in Danish time (the date it is filed under).
    starts = datetime.fromisoformat(report.snapshot["meeting"]["starts_at"])
    meeting_day = starts.astimezone(da.LOCAL).date() if starts.tzinfo else starts.date()
    return Case(
        cpr=child.cpr,
        course_reference=f"{REFERENCE_PREFIX}{course.id}",
        kle=str(config["FILING_KLE"]),
        facet=str(config["FILING_FACET"]),
        document_date=meeting_day,
        title=T["title"].format(day=da.day(meeting_day), number=report.number),
        description=T["description"].format(published=da.day(report.published_at)),
    )
