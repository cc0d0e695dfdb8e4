"""Every route of the URL map with real ids in its path: the walker of
tests/attack/test_route_edges.py and tests/attack/test_cpr_never_leaks.py."""

from __future__ import annotations

import re
import uuid

from flask import Flask
from werkzeug.routing import Rule

from tests.attack.fuzzing import NOUNS

# Which kind of record a path argument names: by its own name, else by the path segment
# before it (``/api/notes/<record_id>``, ``/api/meetings/<parent_id>/notes``).
BY_ARGUMENT = {
    "course_id": "course",
    "meeting_id": "meeting",
    "attachment_id": "attachment",
    "guardian_id": "guardian",
    "session_id": "guardian_session",
    "user_id": "user",
    "institution_id": "institution",
    "comment_id": "parent_comment",
    "consent_id": "consent",
    "photo_id": "board_photo",
    "digest": "blob",
    "change_id": "account_change",
    "device_key_id": "device_key",
}
# ... else by the segment before it: the noun map the fuzzer fills path parameters by.
BY_SEGMENT = NOUNS
# Not ids: file names of the app's build and a capability (the invitation's secret is the
# access itself, 256 random bits, and is meant to open a page); a tablet's own device id
# (chosen by the tablet, it names only the caller's own key: any value is answered with a
# new random key, so a real one and a random one always differ, and tell nothing).
# A parents' page language (``/p/language/<code>``) is a choice, not a record either.
NOT_IDS = {"path", "filename", "secret", "device_id", "code"}
# What a walk puts there: a real value where one means something, else a file name.
NOT_ID_VALUES = {"code": "en"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def kind_of(rule: Rule, argument: str) -> str:
    """The kind of record a path argument of ``rule`` names."""
    if argument in BY_ARGUMENT:
        return BY_ARGUMENT[argument]
    before = rule.rule.split(f"<{argument}>")[0].rstrip("/").rsplit("/", 1)[-1]
    return BY_SEGMENT[before]


def fill(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with ``values`` for its arguments."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)


def id_routes(app: Flask) -> list[Rule]:
    """The rules with ids in their path (not file names or capabilities)."""
    return sorted(
        (r for r in app.url_map.iter_rules() if r.arguments and not r.arguments & NOT_IDS),
        key=lambda r: r.rule,
    )


def random_id(kind: str) -> str:
    """An id of ``kind`` that names nothing."""
    return uuid.uuid4().hex * 2 if kind == "blob" else str(uuid.uuid4())
