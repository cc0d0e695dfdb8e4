"""Every route of the API document that reads or writes a child's data, as probes against a
built world, each with the answer the reference predicate demands.

``classify`` sorts every operation of /api/openapi.json: a probe maker, or a reason why the
route holds no child's data. An operation in neither fails the test, so a new route cannot
slip past the property.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.attack.access_model import may_read, may_read_child
from tests.attack.access_world import Record, Staff, World
from tests.attack.seed import small_image
from tests.harness.children import new_child

KIND_OF = {  # URL plural → wire name of the record kind
    "children": "child",
    "guardians": "guardian",
    "courses": "course",
    "consents": "consent",
    "tasks": "task",
    "meetings": "meeting",
    "participants": "participant",
    "notes": "board_note",
    "photos": "board_photo",
    "agreements": "agreement",
    "minutes": "minutes",
    "reports": "report",
    "report-readings": "report_reading",
    "filings": "filing",
    "scaling-answers": "scaling_answer",
    "parent-comments": "parent_comment",
    "houses": "houses",
    "goal-pairs": "goal_pair",
    "goal-scores": "goal_score",
}
NOT_CHILD_DATA = {  # operation → why the property has nothing to check there
    "GET /api/auth/csrf": "a token",
    "POST /api/auth/login": "sign-in",
    "POST /api/auth/logout": "sign-out",
    "GET /api/auth/me": "the caller themself",
    "GET /api/institutions": "institutions are no child's data",
    "POST /api/institutions": "institutions",
    "GET /api/institutions/{institution_id}": "institutions",
    "PATCH /api/institutions/{institution_id}": "institutions",
    "DELETE /api/institutions/{institution_id}": "institutions",
    "GET /api/users": "staff",
    "POST /api/users": "staff",
    "GET /api/users/{user_id}": "staff",
    "PATCH /api/users/{user_id}": "staff (own role: tests/attack/test_admin_escalation.py)",
    "DELETE /api/users/{user_id}": "staff",
    "GET /api/staff/leaders": "staff names",
    "POST /api/users/{user_id}/password-link": "staff: tests/attack/test_admin_reach.py",
    "GET /api/users/{user_id}/history": "staff accounts' history",
    "GET /api/users/changes": "staff account changes",
    "POST /api/users/changes/{change_id}/approve": "staff: tests/attack/test_admin_reach.py",
    "POST /api/users/changes/{change_id}/reject": "staff account changes",
    "POST /api/auth/password-link": "the person's own password (single-use link)",
    "POST /api/auth/password": "the caller's own password",
    "GET /api/auth/me/history": "the caller's own account history",
    "GET /api/auth/me/contact": "the caller's own work phone and e-mail",
    "POST /api/devices/{device_id}/key": "the caller's own tablet's key (test_devices.py)",
    "DELETE /api/devices/{device_id}/key": "the caller's own tablet's key",
    "GET /api/devices": "staff's tablets (admins only): tests/server/test_devices.py",
    "POST /api/devices/{device_key_id}/close": "staff's tablets (admins only)",
    "PATCH /api/auth/me/contact": "the caller's own work phone and e-mail",
    "GET /api/admin/outbox": "delivery state only: tests/attack/test_admin_escalation.py",
    "GET /api/auth/oidc/login": "a redirect to the identity provider",
    "GET /api/auth/oidc/callback": "sign-in: tests/identity/test_staff_signin.py",
    "GET /api/auth/methods": "which ways of signing in are on",
}
ITEM = re.compile(r"^(GET|PATCH|DELETE) /api/([a-z-]+)/\{record_id\}$")
BY_PARENT = re.compile(r"^GET /api/([a-z-]+)/\{parent_id\}/([a-z-]+)$")
CREATE = re.compile(r"^POST /api/([a-z-]+)$")


@dataclass(frozen=True)
class Probe:
    """One request and what decides its answer."""

    label: str
    method: str
    url: str
    target: Record | None  # whose readability decides; None: a role rule only
    action: str  # "read", "list", "write"
    write_kind: str = ""
    body: Any = None
    multipart: bool = False
    listed: Callable[[Staff], set[str]] | None = None  # ids a reader must see
    hide: str = ""  # the id to swap for a fresh one to ask about something that does not exist
    children: Callable[[set[str]], set[str]] | None = None  # shown ids → their children

    def as_if_missing(self) -> Probe:
        """The same request about a record that does not exist."""
        fresh = str(uuid.uuid4())
        body = self.body
        if isinstance(body, dict):
            body = {k: fresh if v == self.hide else v for k, v in body.items()}
        return replace(self, url=self.url.replace(self.hide, fresh), body=body, hide=fresh)


@dataclass
class Probes:
    reads: list[Probe] = field(default_factory=list)
    writes: list[Probe] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)


def _always(ids: set[str]) -> Callable[[Staff], set[str]]:
    """Every reader must see ``ids``."""
    return lambda _user: ids


def _child_if_shown(child: str) -> Callable[[set[str]], set[str]]:
    """The answer shows ``child``'s data when it shows anything."""
    return lambda shown: {child} if shown else set()


def _always_child(child: str) -> Callable[[set[str]], set[str]]:
    return lambda _shown: {child}


def classify(labels: list[str], world: World) -> Probes:
    """Probes for every labelled operation; the labels nobody classified are reported."""
    out = Probes()
    for label in labels:
        if label in NOT_CHILD_DATA:
            continue
        made = list(_make(label, world))
        if not made and label not in SPECIAL and not _generic(label):
            out.unclassified.append(label)
        for probe in made:
            (out.reads if probe.action in ("read", "list") else out.writes).append(probe)
    return out


def _generic(label: str) -> bool:
    create = CREATE.match(label)
    return bool(
        ITEM.match(label) or BY_PARENT.match(label) or (create and create.group(1) in KIND_OF)
    )


def _records(world: World, kind: str) -> list[Record]:
    return [r for r in world.records if r.kind == kind]


def _make(label: str, world: World) -> Iterator[Probe]:
    if label in SPECIAL:
        yield from SPECIAL[label](label, world)
        return
    if (m := ITEM.match(label)) and m.group(2) in KIND_OF:
        method, plural = m.group(1), m.group(2)
        for r in _records(world, KIND_OF[plural]):
            yield Probe(
                label,
                method,
                f"/api/{plural}/{r.id}",
                r,
                "read" if method == "GET" else "write",
                KIND_OF[plural],
                body={} if method == "PATCH" else None,
                hide=r.id,
            )
    elif (m := BY_PARENT.match(label)) and m.group(2) in KIND_OF and m.group(1) in KIND_OF:
        parent_plural, plural = m.group(1), m.group(2)
        kind = KIND_OF[plural]
        for parent in _records(world, KIND_OF[parent_plural]):
            under = [r for r in world.records if r.kind == kind and r.parent_id == parent.id]

            # Reading the parent is not reading all it holds: a child's list of courses
            # shows only the courses this user may read (a child may have several).
            def listed(user: Staff, under: list[Record] = under) -> set[str]:
                return {r.id for r in under if may_read(world, user, r)}

            yield Probe(
                label,
                "GET",
                f"/api/{parent_plural}/{parent.id}/{plural}",
                parent,
                "list",
                listed=listed,
                hide=parent.id,
                children=_child_if_shown(parent.child_id),
            )
    elif (m := CREATE.match(label)) and m.group(1) in KIND_OF and m.group(1) != "children":
        kind = KIND_OF[m.group(1)]
        parent_kind, make_body = CREATE_BODIES[kind]
        for parent in _records(world, parent_kind):
            yield Probe(
                label,
                "POST",
                f"/api/{m.group(1)}",
                parent,
                "write",
                kind,
                body=make_body(parent, world),
                hide=parent.id,
            )


def _later(days: int = 14) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def _guardian_of(world: World, child: str) -> str:
    return next(
        r.id
        for r in world.records
        if r.kind == "guardian" and r.child_id == child and not r.deleted
    )


def _a_leader(world: World) -> str:
    return next(s.id for s in world.staff if s.role == "family_unit")


CREATE_BODIES: dict[str, tuple[str, Callable[[Record, World], dict[str, Any]]]] = {
    "guardian": ("child", lambda p, w: {"child_id": p.id, "name": "Ny"}),
    "course": (
        "child",
        lambda p, w: {
            "child_id": p.id,
            "leader_id": _a_leader(w),
            "concern_level": "moderate",
            "start_date": date.today().isoformat(),
        },
    ),
    "meeting": (
        "course",
        lambda p, w: {"course_id": p.id, "kind": "follow_up", "starts_at": _later()},
    ),
    "consent": (
        "course",
        lambda p, w: {
            "course_id": p.id,
            "status": "requested",
            "guardian_id": _guardian_of(w, p.child_id),
        },
    ),
    "task": (
        "course",
        lambda p, w: {"course_id": p.id, "title": "T", "assignee_role": "family_unit"},
    ),
    "participant": ("meeting", lambda p, w: {"meeting_id": p.id, "name": "P", "role": "guardian"}),
    "board_note": ("meeting", lambda p, w: {"meeting_id": p.id, "column": "worries", "text": "t"}),
    "board_photo": (
        "meeting",
        lambda p, w: {"meeting_id": p.id, "size": 5, "content_hash": uuid.uuid4().hex * 2},
    ),
    "agreement": (
        "meeting",
        lambda p, w: {"meeting_id": p.id, "what": "w", "owner": "institution"},
    ),
    "minutes": ("meeting", lambda p, w: {"meeting_id": p.id, "text": "m"}),
    "report": ("meeting", lambda p, w: {"meeting_id": p.id}),
    "report_reading": ("meeting", lambda p, w: {"meeting_id": p.id}),
    "filing": ("meeting", lambda p, w: {"meeting_id": p.id}),
    "scaling_answer": (
        "meeting",
        lambda p, w: {"meeting_id": p.id, "role": "child", "name": "Barnet", "value": 7},
    ),
    "parent_comment": ("meeting", lambda p, w: {"meeting_id": p.id, "text": "Fra personalet"}),
    "houses": ("meeting", lambda p, w: {"meeting_id": p.id, "worries": "Når far råber"}),
    # Another pair of the course's own worry and goal (a note of another course is refused
    # by a rule, tests/server/test_goals.py; here only who may write is probed).
    "goal_pair": (
        "course",
        lambda p, w: {
            "course_id": p.id,
            "worry_note_id": w.goal_notes[p.id][0],
            "goal_note_id": w.goal_notes[p.id][1],
        },
    ),
    "goal_score": (
        "meeting",
        lambda p, w: {
            "meeting_id": p.id,
            "goal_pair_id": w.goal_notes[p.course_id or ""][2],
            "role": "child",
            "name": "Barnet",
            "value": 6,
        },
    ),
}


def _on(
    kind: str,
    url: str,
    method: str,
    action: str,
    write_kind: str = "",
    body: Any = None,
    multipart: bool = False,
) -> Callable[[str, World], Iterator[Probe]]:
    """Probes of a route about one record of ``kind`` (``{id}`` in ``url``)."""

    def make(label: str, world: World) -> Iterator[Probe]:
        for r in _records(world, kind):
            yield Probe(
                label,
                method,
                url.format(id=r.id),
                r,
                action,
                write_kind,
                body,
                multipart,
                hide=r.id,
            )

    return make


def _list_on(
    kind: str, url: str, listed_kind: str, listed_parent: str = "parent"
) -> Callable[[str, World], Iterator[Probe]]:
    def make(label: str, world: World) -> Iterator[Probe]:
        for r in _records(world, kind):
            ids = {
                x.id
                for x in world.records
                if x.kind == listed_kind
                and not x.deleted
                and (x.parent_id if listed_parent == "parent" else x.course_id) == r.id
            }
            yield Probe(
                label,
                "GET",
                url.format(id=r.id),
                r,
                "list",
                listed=_always(ids),
                hide=r.id,
                children=_child_if_shown(r.child_id),
            )

    return make


def _members(label: str, world: World) -> Iterator[Probe]:
    for r in _records(world, "course"):
        members = world.courses[r.id][2]
        yield Probe(
            label,
            "GET",
            f"/api/courses/{r.id}/members",
            r,
            "list",
            listed=_always(set(members)),
            hide=r.id,
            children=_always_child(r.child_id),
        )


def _add_member(label: str, world: World) -> Iterator[Probe]:
    psych = next(s.id for s in world.staff if s.role == "psychologist")
    for r in _records(world, "course"):
        yield Probe(
            label,
            "POST",
            f"/api/courses/{r.id}/members",
            r,
            "write",
            "members",
            {"user_id": psych},
            hide=r.id,
        )


def _remove_member(label: str, world: World) -> Iterator[Probe]:
    for r in _records(world, "course"):
        for member in sorted(world.courses[r.id][2]):
            yield Probe(
                label,
                "DELETE",
                f"/api/courses/{r.id}/members/{member}",
                r,
                "write",
                "members",
                hide=r.id,
            )


def _global(url: str, kind: str) -> Callable[[str, World], Iterator[Probe]]:
    def make(label: str, world: World) -> Iterator[Probe]:
        def listed(user: Staff) -> set[str]:
            return {r.id for r in _records(world, kind) if may_read(world, user, r)}

        by_id = {r.id: r.child_id for r in _records(world, kind)}
        yield Probe(
            label,
            "GET",
            url,
            None,
            "list",
            listed=listed,
            children=lambda ids: {by_id[i] for i in ids if i in by_id},
        )

    return make


def _institution_children(label: str, world: World) -> Iterator[Probe]:
    for inst in world.institutions:

        def listed(user: Staff, inst: str = inst) -> set[str]:
            return {
                c
                for c, (i, _) in world.children.items()
                if i == inst and may_read_child(world, user, c)
            }

        yield Probe(
            label,
            "GET",
            f"/api/institutions/{inst}/children",
            None,
            "list",
            listed=listed,
            children=lambda ids: set(ids),
        )


def _attachment_upload(label: str, world: World) -> Iterator[Probe]:
    for r in _records(world, "course"):
        yield Probe(
            label,
            "POST",
            f"/api/courses/{r.id}/attachments",
            r,
            "write",
            "attachment",
            {"title": "Ny", "kind": "other"},
            multipart=True,
            hide=r.id,
        )


def _new_child(label: str, world: World) -> Iterator[Probe]:
    for inst in world.institutions:
        yield Probe(
            label,
            "POST",
            "/api/children",
            None,
            "write",
            "child",
            new_child("Ny", "Barn", inst),
        )


SPECIAL: dict[str, Callable[[str, World], Iterator[Probe]]] = {
    "GET /api/children": _global("/api/children", "child"),
    "GET /api/courses": _global("/api/courses", "course"),
    "POST /api/children": _new_child,
    "GET /api/institutions/{parent_id}/children": _institution_children,
    "GET /api/courses/{course_id}/members": _members,
    "POST /api/courses/{course_id}/members": _add_member,
    "DELETE /api/courses/{course_id}/members/{user_id}": _remove_member,
    "POST /api/courses/{course_id}/hand-over": _on(
        "course", "/api/courses/{id}/hand-over", "POST", "write", "hand_over"
    ),
    "GET /api/courses/{course_id}/attachments": _list_on(
        "course", "/api/courses/{id}/attachments", "attachment", "course"
    ),
    "POST /api/courses/{course_id}/attachments": _attachment_upload,
    "PATCH /api/attachments/{attachment_id}": _on(
        "attachment", "/api/attachments/{id}", "PATCH", "write", "attachment", {}
    ),
    "DELETE /api/attachments/{attachment_id}": _on(
        "attachment", "/api/attachments/{id}", "DELETE", "write", "attachment"
    ),
    "GET /api/attachments/{attachment_id}/file": _on(
        "attachment", "/api/attachments/{id}/file", "GET", "read"
    ),
    "GET /api/meetings/{meeting_id}/agenda.pdf": _on(
        "meeting", "/api/meetings/{id}/agenda.pdf", "GET", "read"
    ),
    "GET /api/meetings/{meeting_id}/letters": _on(
        "meeting", "/api/meetings/{id}/letters", "GET", "read"
    ),
    "POST /api/meetings/{meeting_id}/agenda/send": _on(
        "meeting", "/api/meetings/{id}/agenda/send", "POST", "write", "agenda_send"
    ),
    "GET /api/meetings/{meeting_id}/report-preview": _on(
        "meeting", "/api/meetings/{id}/report-preview", "GET", "read"
    ),
    "GET /api/reports/{record_id}/snapshot": _on(
        "report", "/api/reports/{id}/snapshot", "GET", "read"
    ),
    "GET /api/reports/{record_id}/pdf": _on("report", "/api/reports/{id}/pdf", "GET", "read"),
    "POST /api/guardians/{guardian_id}/invitations": _on(
        "guardian", "/api/guardians/{id}/invitations", "POST", "write", "invitation"
    ),
    "GET /api/guardians/{guardian_id}/sessions": _list_on(
        "guardian", "/api/guardians/{id}/sessions", "guardian_session"
    ),
    "POST /api/guardian-sessions/{session_id}/revoke": _on(
        "guardian_session",
        "/api/guardian-sessions/{id}/revoke",
        "POST",
        "write",
        "guardian_session",
    ),
    # CPR numbers: read (masked) as the child is read, set as the record is changed.
    "GET /api/children/{child_id}/cpr": _on("child", "/api/children/{id}/cpr", "GET", "read"),
    "PUT /api/children/{child_id}/cpr": _on(
        "child", "/api/children/{id}/cpr", "PUT", "write", "child", {"cpr": "010320-4234"}
    ),
    "GET /api/guardians/{guardian_id}/cpr": _on(
        "guardian", "/api/guardians/{id}/cpr", "GET", "read"
    ),
    "PUT /api/guardians/{guardian_id}/cpr": _on(
        "guardian", "/api/guardians/{id}/cpr", "PUT", "write", "guardian", {"cpr": "1508881234"}
    ),
    # The notes suggested from a board photo are read as the photo is (its bytes are in the
    # world, so a reader gets the suggestions and anyone else the same 404 as for the photo).
    "GET /api/photos/{photo_id}/suggestions": _on(
        "board_photo", "/api/photos/{id}/suggestions", "GET", "read"
    ),
    # Sync and photo bytes have checks of their own (tests/attack/test_access_property.py).
    "GET /api/sync/pull": lambda label, world: iter(()),
    "POST /api/sync/pull": lambda label, world: iter(()),
    "POST /api/sync/push": lambda label, world: iter(()),
    "POST /api/blobs/missing": lambda label, world: iter(()),
    "GET /api/blobs/{digest}": lambda label, world: iter(()),
    "PUT /api/blobs/{digest}": lambda label, world: iter(()),
    "GET /api/blobs/{digest}/upload": lambda label, world: iter(()),
}


def multipart_body(fields: dict[str, Any]) -> dict[str, Any]:
    """A form with a small PNG as ``file``, as the tablet uploads a document."""
    return {**fields, "file": (io.BytesIO(small_image("PNG", 42)), "ny.png")}
