"""Reading form fields (urlencoded and multipart): as strict as reading JSON (issue 19, 6b).

A form field may hold what no text column can store — a NUL character (``%00``), which
PostgreSQL refuses with an error that became a 500 (an attachment's title, a parent's
comment). Werkzeug decodes form data as UTF-8 with replacement, so a lone surrogate cannot
arrive this way, but the check is the JSON side's own (``json_input.text_problem``), so the
two cannot drift apart. Every form read of the app goes through here:

- ``read_form`` for the API: a 422 in the one error shape naming each field;
- ``checked_form`` for the parents' HTML pages, which show their own error next to the
  field: the fields with the offending characters removed (to show again) and the problems.
"""

from __future__ import annotations

from flask import request
from werkzeug.datastructures import MultiDict

from server.errors import ApiError
from server.records.json_input import printable, text_problem


def form_problems(form: MultiDict[str, str]) -> dict[str, list[str]]:
    """What in the form fields (names and values) cannot be stored, by field."""
    found: dict[str, list[str]] = {}
    for name, value in form.items(multi=True):
        name_problem = text_problem(name)
        if name_problem:
            found.setdefault(printable(name), []).append(
                name_problem.replace("The text", "The name")
            )
            continue
        problem = text_problem(value)
        if problem:
            found.setdefault(name, []).append(problem)
    return found


def read_form() -> dict[str, str]:
    """The form's fields (the first value of each) for an API route; 422 when one holds a
    character that cannot be stored."""
    found = form_problems(request.form)
    if found:
        raise ApiError(422, "Some fields are not valid.", "invalid", found)
    return request.form.to_dict()


def checked_form() -> tuple[dict[str, str], dict[str, list[str]]]:
    """For an HTML form: the fields without what cannot be stored, and what was wrong."""
    found = form_problems(request.form)
    fields = {_cleaned(name): _cleaned(value) for name, value in request.form.items()}
    return fields, found


def _cleaned(text: str) -> str:
    if not text_problem(text):
        return text
    return "".join(c for c in text if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF)
