"""What Danish text on any screen, page, PDF or mail must not hold (issue 12): dates in
another form than the one long ("4. december 2026") and one short ("4. dec.") form, times
without "kl." ("14:30"), and a count of one with a plural noun ("1 deltagere")."""

from __future__ import annotations

import re

SHORT = r"(?:jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec)\."
LONG = (
    r"(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november"
    r"|december)"
)
FORBIDDEN = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "numeric date": re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"),
    "short month with a year": re.compile(rf"\b\d{{1,2}}\. {SHORT} \d{{4}}\b"),
    "weekday abbreviation": re.compile(r"\b(?:man|tirs|tir|ons|tors|tor|fre|lør|søn)\. \d"),
    "time without kl.": re.compile(r"\b\d{1,2}:\d{2}\b"),
    "time with a leading zero": re.compile(r"\bkl\. 0\d\.\d{2}\b"),
    "English month": re.compile(
        r"\b(?:January|February|March|April|May|June|July|August"
        r"|September|October|November|December|Jan|Feb|Mar|Apr|Jun"
        r"|Jul|Aug|Sep|Oct|Nov|Dec)\b \d"
    ),
    "one with a plural noun": re.compile(
        r"(?<![\d.,])\b1 (?:senere )?(?:deltagere|noter|aftaler|billeder|ændringer|forældre"
        r"|medarbejdere|sekunder|minutter|opgaver|møder|dage|gange|telefoner|dokumenter"
        r"|links|timer)\b"
    ),
}
DATE = re.compile(rf"\b\d{{1,2}}\. (?:{LONG} \d{{4}}|{SHORT}(?! \d{{4}}))")


def language_problems(text: str) -> list[str]:
    """Each forbidden form found in ``text``, with what it found."""
    found = []
    for what, pattern in FORBIDDEN.items():
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    return found


def dates_in(text: str) -> list[str]:
    """The dates written in one of the two allowed forms."""
    return [m.group(0) for m in DATE.finditer(text)]
