"""Reading JSON request bodies: what the database could not store is refused at the door.

Python's JSON reader accepts what no database column can hold — a lone surrogate
(``"\\ud800"``), a NUL character (PostgreSQL text refuses it) — and nesting so deep that
reading it exhausts the interpreter's recursion limit. Left alone, each became a 500 deep
inside a request (or a ``server_error`` a tablet would send again forever). Every JSON body,
on every route, is read here instead:

- a body that cannot be read at all (malformed, or nested beyond what can be read) is a 400;
- strings with a lone surrogate or a NUL, and nesting deeper than ``MAX_DEPTH``, are a 422
  naming the place (``fields: {"text": [...]}``).

Form fields are read as strictly (``form_input``), by the views that read a form and by
``body_parser.StrictParser.load_form`` for any route that declares ``location="form"``.

A schema field that takes items the route interprets one by one (a push's ``mutations``)
carries ``CHECKED_PER_ITEM`` in its metadata: the route checks each item with ``problems``,
so one bad mutation is refused alone and the rest of the batch is applied.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32
CHECKED_PER_ITEM = "x-checked-per-item"
_UNREADABLE = "The body is nested too deeply to be read."
# In JSON text, a NUL or a surrogate can only be written as an escape (raw control
# characters are invalid JSON, and UTF-8 cannot encode a surrogate).
_SUSPECT = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


def may_hold_bad_text(raw: str | bytes) -> bool:
    """False when the JSON text cannot hold a lone surrogate or a NUL, so ``problems`` need
    only look at the nesting (a fast path: every push body is checked)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    return _SUSPECT.search(data) is not None or (
        isinstance(raw, str) and not raw.isascii() and data != raw.encode("utf-8", "replace")
    )


def loads(text: str | bytes) -> Any:
    """``json.loads`` that turns an exhausted recursion limit into a JSON error."""
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise json.JSONDecodeError(_UNREADABLE, "<nested too deeply>", 0) from exc


def problems(
    value: Any, skip: frozenset[str] = frozenset(), texts: bool = True
) -> dict[str, list[str]]:
    """What in a decoded JSON value cannot be stored, by dotted path (``{}`` when nothing).

    ``skip``: top-level keys left to the route (checked per item). ``texts=False``: the
    strings are known to be fine (see ``may_hold_bad_text``); only the nesting is checked."""
    if not texts and (not isinstance(value, dict | list) or _shallow(value, skip)):
        return {}
    found: dict[str, list[str]] = {}
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                found.setdefault(path or "_schema", []).append(problem)
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= MAX_DEPTH:
            found.setdefault(path or "_schema", []).append(
                f"Nested more than {MAX_DEPTH} levels deep."
            )
            continue
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, sub in pairs:
            if depth == 0 and key in skip:
                continue
            key_problem = text_problem(key) if isinstance(key, str) else ""
            shown = printable(str(key)) if key_problem else str(key)
            name = f"{path}.{shown}" if path else shown
            if key_problem:
                found.setdefault(name, []).append(key_problem.replace("The text", "The name"))
                continue
            stack.append((name, sub, depth + 1))
    return found


def _shallow(value: Any, skip: frozenset[str]) -> bool:
    """Whether no container sits ``MAX_DEPTH`` levels deep (strings are not looked at)."""
    if type(value) is dict and skip:
        value = {k: v for k, v in value.items() if k not in skip}
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return False
        for sub in item.values() if type(item) is dict else item:
            kind = type(sub)
            if kind is dict or kind is list:
                stack.append((sub, depth + 1))
    return True


def printable(name: str) -> str:
    """A name that cannot be stored, written so that it can be (answers are stored too)."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def text_problem(text: str) -> str:
    """Why ``text`` cannot be stored (a NUL, a lone surrogate), or ``""``; form fields are
    checked with this too (``form_input``)."""
    if text.isascii():
        if "\x00" in text:
            return "The text contains a NUL character, which cannot be stored."
        return ""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "The text contains a lone surrogate (not a character), which cannot be stored."
    if "\x00" in text:
        return "The text contains a NUL character, which cannot be stored."
    return ""


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON for ``request.get_json()``: refuses what ``problems`` finds."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        value = loads(s)
        found = problems(value, texts=may_hold_bad_text(s))
        if found:  # a ValueError: Flask answers 400 (or None with silent=True)
            raise ValueError("; ".join(f"{k}: {' '.join(v)}" for k, v in found.items()))
        return value
