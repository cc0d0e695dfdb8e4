"""Plain language, measured (issue 21, point 8): LIX, the Scandinavian readability index, and
the visible text of a page to measure it on.

LIX = words / sentences + 100 * long words / words, a long word having more than six
letters. Below 30 reads like a children's book, 30 to 40 like a newspaper's simple pages; 40 is
the project's bound for what parents read. Written here rather than taken from textstat
(whose ``lix`` counts a word's trailing comma as a letter and leaves sentences of one or two
words out of the count, which on a page of headings, buttons and links is most of them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

# A word: letters, joined by an apostrophe or a hyphen ("PDF'en", "e-mail").
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# A sentence ends at ., !, ?, : or ; (LIX counts a colon as an end, as its author did).
SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)")
# Elements whose text stands as a unit of its own (a heading, a button, a list item): a unit
# without its own full stop is still one sentence to a reader.
BLOCKS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "li", "button", "label", "summary", "th", "td",
        "caption", "figcaption", "header", "footer", "section", "main", "form", "ul", "details",
        "table", "tr", "br", "figure", "textarea",
    }
)  # fmt: skip
SKIPPED = frozenset({"script", "style", "title", "head", "svg"})
VOID = frozenset({"br", "img", "input", "meta", "link", "hr"})


@dataclass(frozen=True)
class Lix:
    """A text's LIX with its counts (to say why it fails)."""

    words: int
    sentences: int
    long_words: int

    @property
    def value(self) -> float:
        if not self.words:
            return 0.0
        return self.words / max(self.sentences, 1) + 100 * self.long_words / self.words


def lix(units: list[str]) -> Lix:
    """LIX of a text given as units (paragraphs, headings, lines): each unit's sentences end
    at its punctuation, and the unit's end ends one too."""
    words = sentences = long_words = 0
    for unit in units:
        found = WORD.findall(unit)
        if not found:
            continue
        words += len(found)
        long_words += sum(1 for w in found if sum(c.isalpha() for c in w) > 6)
        text = unit.strip()
        ends = len(SENTENCE_END.findall(text))
        sentences += ends if text[-1] in ".!?:;" else ends + 1
    return Lix(words, sentences, long_words)


def text_lines(text: str) -> list[str]:
    """A plain text (an e-mail, a PDF's text) as units: its lines, without web addresses."""
    return [" ".join(w for w in line.split() if "://" not in w and "@" not in w)
            for line in text.splitlines()]  # fmt: skip


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self._current: list[str] = []
        self._skipping: list[str] = []  # the open elements whose text nobody sees
        self._lang: str | None = None  # the page's language (<html lang>)

    def _flush(self) -> None:
        unit = " ".join("".join(self._current).split())
        if unit:
            self.units.append(unit)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            if tag not in VOID:
                self._skipping.append(tag)
            return
        if tag == "html":
            self._lang = dict(attrs).get("lang")
        # Words in another language than the page's (the language switch: "English" on a
        # Danish page) are not measured as the page's language.
        other = tag != "html" and dict(attrs).get("lang", self._lang) != self._lang
        if tag in SKIPPED or other or any(name == "hidden" for name, _ in attrs):
            if tag not in VOID:
                self._skipping.append(tag)
            return
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            self._skipping.pop()
            return
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)


def visible_units(html: str) -> list[str]:
    """The text a reader sees on a page, unit by unit (no scripts, styles, titles or
    ``hidden`` elements, nor words marked as another language than the page's; a
    ``<details>`` counts open, as a reader who asks sees it)."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.units


def parents_pages(
    mor: Any, stranger: Any, meeting: str, photo: str, far_link: str
) -> dict[str, str]:
    """Every parents' page as a phone shows it (the mother's pages, then the ones a phone
    without access meets), by name; the offline notices shown, as offline."""
    answers = {
        "list": mor.get("/p/"),
        "report with comments": mor.get(f"/p/reports/{meeting}"),
        "photo": mor.get(f"/p/reports/{meeting}/photos/{photo}/view"),
        "consent": mor.get("/p/consent"),
        "access log": mor.get("/p/access"),
        "documents": mor.get("/p/attachments"),
        "letters": mor.get("/p/letters"),
        "invitation": stranger.get(far_link),
        "refused": stranger.get("/p/reports/not-a-meeting"),
        "offline": stranger.get("/p/offline"),
        "stale": stranger.get("/p/stale"),
    }
    pages = {}
    for name, resp in answers.items():
        html = resp.get_data(as_text=True)
        if name in ("offline", "stale"):  # shown offline, where the script shows the notice
            html = html.replace('role="status" hidden>', 'role="status">')
        assert "<h1>" in html, name  # a real page, not an error's JSON
        pages[name] = html
    return pages
