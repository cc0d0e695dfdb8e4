"""Any text the API accepts, for the tests that print it (tests/attack/test_pdf_any_text.py
through the API, tests/server/test_documents_any_text.py straight from the templates): the
fields' limits read from the schemas, and a Hypothesis strategy over every script, the control
characters the API takes, long unbroken words and many lines."""

from __future__ import annotations

from hypothesis import strategies as st
from marshmallow import Schema, validate

from server.children.schemas import ChildSchema, GuardianSchema
from server.meetings.schemas import (
    AgreementSchema,
    BoardNoteSchema,
    BoardPhotoSchema,
    HousesSchema,
    MeetingSchema,
    MinutesSchema,
    ParticipantSchema,
    ScalingAnswerSchema,
)
from server.reports.schemas import ParentCommentSchema


def limit(schema: type[Schema], name: str) -> int:
    """The longest text the API accepts in that field (its Length validator)."""
    field = schema._declared_fields[name]
    return min(
        int(v.max) for v in field.validators if isinstance(v, validate.Length) and v.max is not None
    )


SCRIPTS = [
    "Ærø blåbær",
    "Ελληνικά",
    "Русский язык",
    "العربية",
    "עברית",
    "中文字符",
    "日本語のテキスト",
    "한국어",
    "हिन्दी",
    "ภาษาไทย",
    "😀👩‍👧‍👦🏳️‍🌈",
    "e\u0301a\u0308\u0327",
    "\u200f\u202eRTL\u202c",
    "\u2066isolate\u2069",
    "\u200b\u200d\ufeff",
    "\u00ad",
    "\t\x01\x1b\x7f\x85",
    "\u2028\u2029",
    "\r\n",
    "\n",
    "\r",
    "\x0b\x0c",
    " ",
    "  ",
    "-",
    "&amp;<b>x</b><br/>&",
    "<para>",
    "%s{0}",
    "\ue000\U000f0000",
    "\ufffd\ufffe\uffff",
    "\U0001d544\U0001d552\U0001d565",
    "ﷺ",
    "\U0001d11e",
    "\u200b\u200d\ufeff\u00ad",
    "\u2028\u2029\r\n\x0b\x0c",
    "</style><script>",
    "\ue000\U000f0000\ufffd\ufffe\uffff",
    "\U0001d544\U0001d552\U0001d565ﷺ\U0001d11e",
    "m" * 120,  # a word longer than any line
]
# Any character the API stores: no NUL (refused by the schemas) nor lone surrogates (not
# valid UTF-8, so no JSON body carries one).
ANY_CHAR = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
UNIT = st.lists(
    st.one_of(st.sampled_from(SCRIPTS), st.text(ANY_CHAR, min_size=1, max_size=6)),
    min_size=1,
    max_size=6,
).map("".join)

LIMITS = {
    "first_name": limit(ChildSchema, "first_name"),
    "last_name": limit(ChildSchema, "last_name"),
    "guardian": limit(GuardianSchema, "name"),
    "place": limit(MeetingSchema, "place"),
    "participant": limit(ParticipantSchema, "name"),
    "note": limit(BoardNoteSchema, "text"),
    "caption": limit(BoardPhotoSchema, "caption"),
    "agreement": limit(AgreementSchema, "what"),
    "scaling": limit(ScalingAnswerSchema, "name"),
    "comment": limit(ParentCommentSchema, "text"),
    "next_place": limit(MeetingSchema, "place"),
    # The long ones: at most one per example is filled to its limit (a report of 1,000 pages
    # takes seconds to make, three times per example).
    "agenda": limit(MeetingSchema, "agenda"),
    "perspective": limit(MeetingSchema, "child_perspective"),
    "minutes": limit(MinutesSchema, "text"),
    "house": limit(HousesSchema, "worries"),  # each of the child's three houses
}
LONG = ("agenda", "perspective", "minutes", "house")


def shaped(unit: str, most: int, fill: bool, mark: str = "") -> str:
    """A text the API accepts in a field of at most ``most`` characters: ``mark`` (a word the
    test looks for in the PDF) then the unit once, or repeated up to the limit (a long word,
    many lines, a page of one script)."""
    return (mark + (unit * (most // len(unit) + 1) if fill else unit))[:most]


@st.composite
def any_texts(draw: st.DrawFn, mark: str = "") -> dict[str, str]:
    """A text for every field the documents show; each short one once or up to its limit,
    one long one (or none) up to its limit."""
    filled = draw(st.sampled_from([None, *LONG]))
    return {
        name: shaped(
            draw(UNIT), most, name == filled if name in LONG else draw(st.booleans()), mark
        )
        for name, most in LIMITS.items()
    }
