"""Random worlds for the access property: institutions, staff of every role, children, courses
with leaders and added members, meetings with every part, consents, tasks, documents, photo
bytes, published and filed reports, a parent's read receipt, phone and comment, a sync
conflict.

A ``Spec`` is pure data drawn by Hypothesis; ``build`` makes it real through the API (staff
and institutions directly in the database: they are no child's data, and hashing a password
per user would cost more than the rest of the world). ``World`` is what was built, in the
terms the reference predicate (tests/attack/access_model.py) reasons about.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from flask import Flask
from hypothesis import strategies as st
from sqlalchemy import select

from server.auth.passwords import hash_password
from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import set_cpr
from server.models import Guardian, Institution, User
from sync.clock import Clock
from tests.attack.doors import Door
from tests.attack.seed import seeded_cpr, sha, small_image
from tests.harness import SYNC, ApiClient
from tests.harness.children import new_child
from tests.server.reporting import form_token, invitation_links, phone
from tests.server.world import created

PASSWORD = "property-password"
# meeting part kind → (URL plural, a valid body apart from meeting_id)
PARTS: dict[str, tuple[str, dict[str, Any]]] = {
    "participant": ("participants", {"name": "Mor", "role": "guardian"}),
    "board_note": ("notes", {"column": "worries", "text": "Bekymring"}),
    "agreement": ("agreements", {"what": "Fast voksen", "owner": "institution"}),
    "minutes": ("minutes", {"text": "Referat"}),
    "scaling_answer": ("scaling-answers", {"role": "child", "name": "Barnet", "value": 4}),
    "houses": ("houses", {"dream": "En hest", "shared_with_parents": True}),
}


@dataclass(frozen=True)
class StaffSpec:
    role: str
    institution: int | None  # index into the institutions


@dataclass(frozen=True)
class CourseSpec:
    child: int
    leader: int  # index into the staff
    members: tuple[int, ...]
    meetings: int  # 1 or 2
    deleted: frozenset[str]  # leaf kinds made and then deleted in this course
    with_document: bool
    published: bool


@dataclass(frozen=True)
class ChildSpec:
    institution: int
    registered_by: int  # index into the staff (a family-unit worker or an educator there)


@dataclass(frozen=True)
class Spec:
    institutions: int
    staff: tuple[StaffSpec, ...]
    children: tuple[ChildSpec, ...]
    courses: tuple[CourseSpec, ...]


@st.composite
def specs(draw: Any) -> Spec:
    """A world with at least one member of staff of every role and a course to look at."""
    n_inst = draw(st.integers(2, 3))
    staff = [StaffSpec("admin", None)]
    staff += [StaffSpec("family_unit", None) for _ in range(draw(st.integers(1, 3)))]
    staff += [
        StaffSpec("educator", draw(st.integers(0, n_inst - 1)))
        for _ in range(draw(st.integers(1, 3)))
    ]
    staff += [StaffSpec("psychologist", None) for _ in range(draw(st.integers(1, 2)))]
    family = [i for i, s in enumerate(staff) if s.role == "family_unit"]
    members = [i for i, s in enumerate(staff) if s.role in ("family_unit", "psychologist")]
    children = []
    for _ in range(draw(st.integers(2, 4))):
        inst = draw(st.integers(0, n_inst - 1))
        registrars = family + [
            i for i, s in enumerate(staff) if s.role == "educator" and s.institution == inst
        ]
        children.append(ChildSpec(inst, draw(st.sampled_from(registrars))))
    courses = []
    with_course = draw(
        st.lists(st.integers(0, len(children) - 1), min_size=1, max_size=3, unique=True)
    )
    for child in with_course:
        courses.append(
            CourseSpec(
                child=child,
                leader=draw(st.sampled_from(family)),
                members=tuple(draw(st.lists(st.sampled_from(members), unique=True, max_size=2))),
                meetings=draw(st.integers(1, 2)),
                deleted=frozenset(
                    draw(
                        st.lists(
                            st.sampled_from(
                                [*PARTS, "board_photo", "consent", "task", "guardian", "attachment"]
                            ),
                            unique=True,
                            max_size=3,
                        )
                    )
                ),
                with_document=draw(st.booleans()),
                published=draw(st.booleans()),
            )
        )
    return Spec(n_inst, tuple(staff), tuple(children), tuple(courses))


@dataclass(frozen=True)
class Staff:
    id: str
    email: str
    role: str
    institution_id: str | None


@dataclass(frozen=True)
class Record:
    """A record of a child's data as the predicate sees it."""

    kind: str  # wire name ("board_note"), or "attachment" / "guardian_session"
    id: str
    child_id: str
    course_id: str | None  # None for a child and its guardians
    parent_id: str  # the record whose list shows it (institution, child, course, meeting)
    deleted: bool = False


@dataclass
class World:
    staff: list[Staff] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)
    children: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (inst, by)
    # course id → (child, leader, members)
    courses: dict[str, tuple[str, str, set[str]]] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    photo_hashes: dict[str, list[Record]] = field(default_factory=dict)
    uploaded_by: dict[str, str] = field(default_factory=dict)  # hash → user id
    conflicts: dict[str, str] = field(default_factory=dict)  # conflict id → owner user id

    def add(self, record: Record) -> Record:
        self.records.append(record)
        return record


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def build(app: Flask, spec: Spec, door: Door) -> World:
    """Make the spec real, everyone signed in through ``door``; returns what was made."""
    world = World()
    with app.app_context():
        # The external id the municipality's provider names an educator's institution by.
        insts = [
            Institution(name=f"Institution {i}", kind="daycare", external_id=f"inst-{i}")
            for i in range(spec.institutions)
        ]
        db.session.add_all(insts)
        db.session.flush()
        world.institutions = [i.id for i in insts]
        for n, s in enumerate(spec.staff):
            user = User(
                email=f"{s.role}{n}@example.org",
                name=f"{s.role} {n}",
                role=s.role,
                institution_id=world.institutions[s.institution]
                if s.institution is not None
                else None,
                password_hash=_password_hash(),
            )
            db.session.add(user)
            db.session.flush()
            world.staff.append(Staff(user.id, user.email, s.role, user.institution_id))
            door.enrol(
                user.email,
                s.role,
                f"inst-{s.institution}" if s.institution is not None else None,
                user.name,
            )
        db.session.commit()
        db.session.remove()
    clients: dict[int, ApiClient] = {}

    def as_staff(index: int) -> ApiClient:
        if index not in clients:
            clients[index] = door.staff(app, world.staff[index].email, PASSWORD)
        return clients[index]

    children = [_child(world, as_staff(c.registered_by), c, i) for i, c in enumerate(spec.children)]
    for n, course in enumerate(spec.courses):
        _course(app, world, as_staff, course, children[course.child], n, door)
    _read_back(app, world)
    return world


def _child(world: World, by: ApiClient, spec: ChildSpec, n: int) -> str:
    inst = world.institutions[spec.institution]
    child = created(
        by.post(
            "/api/children",
            new_child(f"Barn{n}", "Hemmelig", inst),
        )
    )["id"]
    world.children[child] = (inst, by.raw.get("/api/auth/me").get_json()["user"]["id"])
    world.add(Record("child", child, child, None, inst))
    guardian = created(
        by.post(
            "/api/guardians",
            {
                "child_id": child,
                "name": f"Mor{n}",
                "relation": "mor",
                "email": f"mor{n}@example.net",
                "has_custody": True,
            },
        )
    )["id"]
    world.add(Record("guardian", guardian, child, None, child))
    return str(child)


def _course(
    app: Flask, world: World, as_staff: Any, spec: CourseSpec, child: str, n: int, door: Door
) -> None:
    registrar = world.children[child][1]
    opener = as_staff(next(i for i, s in enumerate(world.staff) if s.id == registrar))
    leader_id = world.staff[spec.leader].id
    course = created(
        opener.post(
            "/api/courses",
            {
                "child_id": child,
                "leader_id": leader_id,
                "concern_level": "moderate",
                "reason": "Hemmelig grund",
                "start_date": date.today().isoformat(),
            },
        )
    )["id"]
    leader = as_staff(spec.leader)
    members = {world.staff[m].id for m in spec.members if world.staff[m].id != leader_id}
    for member in sorted(members):
        assert leader.post(f"/api/courses/{course}/members", {"user_id": member}).status_code == 201
    world.courses[course] = (child, leader_id, members)
    world.add(Record("course", course, child, course, child))
    leaf: list[Record] = []
    guardian = next(r.id for r in world.records if r.kind == "guardian" and r.child_id == child)
    first = ""
    for m in range(spec.meetings):
        starts = datetime.now(UTC) + timedelta(hours=1 + 24 * 7 * m)
        meeting = created(
            leader.post(
                "/api/meetings",
                {
                    "course_id": course,
                    "kind": "start" if m == 0 else "follow_up",
                    "starts_at": starts.isoformat(),
                },
            )
        )["id"]
        first = first or meeting
        world.add(Record("meeting", meeting, child, course, course))
        for kind, (plural, body) in PARTS.items():
            made = created(leader.post(f"/api/{plural}", {"meeting_id": meeting, **body}))
            leaf.append(world.add(Record(kind, made["id"], child, course, meeting)))
        image = small_image("PNG", seed=hash((n, m, course)) % 200)
        resp = leader.put(
            f"/api/blobs/{sha(image)}", data=image, headers={"Content-Type": "image/png"}
        )
        assert resp.status_code == 200, resp.get_json()
        world.uploaded_by.setdefault(sha(image), leader_id)
        photo = created(
            leader.post(
                "/api/photos",
                {
                    "meeting_id": meeting,
                    "content_hash": sha(image),
                    "size": len(image),
                    "content_type": "image/png",
                },
            )
        )["id"]
        leaf.append(world.add(Record("board_photo", photo, child, course, meeting)))
    leaf.append(
        world.add(
            Record(
                "consent",
                created(
                    leader.post(
                        "/api/consents",
                        {"course_id": course, "guardian_id": guardian, "status": "requested"},
                    )
                )["id"],
                child,
                course,
                course,
            )
        )
    )
    leaf.append(
        world.add(
            Record(
                "task",
                created(
                    leader.post(
                        "/api/tasks",
                        {"course_id": course, "title": "Ring", "assignee_role": "educator"},
                    )
                )["id"],
                child,
                course,
                course,
            )
        )
    )
    if spec.with_document or "attachment" in spec.deleted:
        leaf.append(
            world.add(Record("attachment", _document(leader, course, n), child, course, course))
        )
    _delete(world, leader, spec.deleted, leaf, guardian)
    if spec.published:
        _publish(app, world, leader, first, child, course, door)
    if n == 0:
        _conflict(world, leader, child, first)


def _document(leader: ApiClient, course: str, n: int) -> str:
    resp = leader.raw.post(
        f"/api/courses/{course}/attachments",
        data={
            "file": (io.BytesIO(small_image("PNG", 100 + n)), "topi.png"),
            "title": "TOPI",
            "kind": "topi",
        },
        headers={"X-CSRF-Token": leader.csrf_token or ""},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_json()
    return str(resp.get_json()["id"])


_DELETE_URL = {
    "participant": "participants",
    "board_note": "notes",
    "agreement": "agreements",
    "minutes": "minutes",
    "board_photo": "photos",
    "consent": "consents",
    "task": "tasks",
    "guardian": "guardians",
    "attachment": "attachments",
    "scaling_answer": "scaling-answers",
    "houses": "houses",
}


def _delete(
    world: World, leader: ApiClient, kinds: frozenset[str], leaf: list[Record], guardian: str
) -> None:
    """Delete the first record of each drawn kind: deleted records are nobody's to read."""
    for kind in sorted(kinds):
        if kind == "guardian":
            # A second guardian, so the consent's guardian stays (and the child has one).
            victim = next(r for r in world.records if r.id == guardian)
            extra = created(
                leader.post(
                    "/api/guardians",
                    {"child_id": victim.child_id, "name": "Far", "relation": "far"},
                )
            )["id"]
            record = world.add(Record("guardian", extra, victim.child_id, None, victim.child_id))
        else:
            found = next((r for r in leaf if r.kind == kind and not r.deleted), None)
            if found is None:
                continue
            record = found
        resp = leader.delete(f"/api/{_DELETE_URL[kind]}/{record.id}")
        assert resp.status_code == 204, (kind, resp.get_json())
        world.records[world.records.index(record)] = Record(
            record.kind, record.id, record.child_id, record.course_id, record.parent_id, True
        )


def _publish(
    app: Flask,
    world: World,
    leader: ApiClient,
    meeting: str,
    child: str,
    course: str,
    door: Door,
) -> None:
    """Finish the first meeting, publish and file its report; a parent reads it on a phone."""
    starts = datetime.fromisoformat(leader.get(f"/api/meetings/{meeting}").get_json()["starts_at"])
    resp = leader.patch(
        f"/api/meetings/{meeting}",
        {
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": (starts + timedelta(days=28)).isoformat(),
        },
    )
    if resp.status_code != 200:  # a deleted photo or the like: nothing to publish then
        return
    report = leader.post("/api/reports", {"meeting_id": meeting})
    if report.status_code != 201:
        return
    world.add(Record("report", report.get_json()["id"], child, course, meeting))
    filing = created(leader.post("/api/filings", {"meeting_id": meeting}))
    world.add(Record("filing", filing["id"], child, course, meeting))
    mother = _mother(app, door, child)
    page = mother.get(f"/p/reports/{meeting}")
    assert page.status_code == 200
    # Her comment on the report (read by staff through the API and sync, written by nobody).
    said = mother.post(
        f"/p/reports/{meeting}/comments",
        data={"text": "Vores bemærkning", "csrf_token": form_token(page)},
    )
    assert said.status_code == 303, said.get_data(as_text=True)[:300]
    readings = leader.get(f"/api/meetings/{meeting}/report-readings").get_json()
    for reading in readings:
        world.add(Record("report_reading", reading["id"], child, course, meeting))
    guardian = next(
        r.id
        for r in world.records
        if r.kind == "guardian" and r.child_id == child and not r.deleted
    )
    for session in leader.get(f"/api/guardians/{guardian}/sessions").get_json():
        world.add(Record("guardian_session", session["id"], child, None, guardian))


def _mother(app: Flask, door: Door, child: str) -> Any:
    """The child's mother on her phone: through her personal link, or signed in with MitID
    (her CPR number set on her guardian row, and given to the provider)."""
    if not door.provider:
        return phone(app, invitation_links(app, child)["mor"])
    with app.app_context():
        guardian = db.session.scalars(
            select(Guardian).where(Guardian.child_id == child, Guardian.relation == "mor")
        ).one()
        # A number of her own: the n-th child's mother is "Mor<n>".
        number = seeded_cpr(100 + int(guardian.name.removeprefix("Mor")))
        sub = f"mitid-{guardian.name.lower()}"
        set_cpr(guardian, Cpr(number))
        db.session.commit()
        db.session.remove()
    door.enrol_parent(sub, number)
    return door.parent(app, sub)


def _conflict(world: World, leader: ApiClient, child: str, meeting: str) -> None:
    """Two tablets of the leader change one note offline: the losing value is the leader's."""
    note = created(
        leader.post("/api/notes", {"meeting_id": meeting, "column": "working", "text": "Først"})
    )
    world.add(Record("board_note", note["id"], child, note["course_id"], meeting))
    for text, node in (("Tablet A", "aaaa"), ("Tablet B", "bbbb")):
        clock = Clock(node, now_ms=lambda: int(datetime.now(UTC).timestamp() * 1000))
        resp = leader.post(
            "/api/sync/push",
            {
                "client_id": str(uuid.uuid4()),
                "mutations": [
                    {
                        "id": str(uuid.uuid4()),
                        "entity": "board_note",
                        "record_id": note["id"],
                        "op": "upsert",
                        "fields": {"text": text},
                        "base_version": note["version"],
                        "clock": str(clock.tick()),
                    }
                ],
            },
            headers=SYNC,
        )
        assert resp.status_code == 200, resp.get_json()


def _read_back(app: Flask, world: World) -> None:
    """What the server made on its own (follow-up tasks when a meeting is finished, ...), the
    photos' hashes and the conflicts' owners."""
    from server.models import BoardPhoto, SyncConflict
    from tests.attack.seed import MODELS

    known = {r.id for r in world.records}
    photos = {r.id: r for r in world.records if r.kind == "board_photo"}
    with app.app_context():
        for kind, model in MODELS.items():
            if not hasattr(model, "course_id") or kind in ("conflict", "course"):
                continue
            for row in db.session.scalars(db.select(model)):
                if row.id not in known:
                    parent = (
                        getattr(row, "meeting_id", None)
                        if kind not in ("task", "consent", "meeting", "attachment")
                        else row.course_id
                    )
                    world.add(
                        Record(
                            kind,
                            row.id,
                            world.courses[row.course_id][0],
                            row.course_id,
                            parent or row.course_id,
                            row.deleted_at is not None,
                        )
                    )
        for photo_id, digest in db.session.execute(
            db.select(BoardPhoto.id, BoardPhoto.content_hash)
        ):
            world.photo_hashes.setdefault(digest, []).append(photos[photo_id])
        for conflict_id, owner in db.session.execute(
            db.select(SyncConflict.id, SyncConflict.user_id)
        ):
            world.conflicts[conflict_id] = owner
        db.session.remove()
