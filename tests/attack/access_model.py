"""The reference predicate: who may read and write which child's data, written once more from
the rules as they are stated in words, NOT imported from server/access.py.

The words (issue 10, docs/architecture.md "Access", sync/PROTOCOL.md "Scopes"):
- admins manage users and institutions and see no child's data;
- family-unit staff see the courses they lead or are added to;
- educators see the courses of children in their own institution;
- psychologists see the courses they are added to;
- a child is seen with its courses; educators also see the children of their institution, and
  whoever registered a child (a family-unit worker or an educator) sees it before its course
  exists (docs/decisions.md, "Where the issues were silent");
- a deleted record is nobody's to read over REST (sync still tells its readers it is deleted);
- a record the caller may not see is answered exactly like one that does not exist;
- a role that may read but not write gets 403 (the table ``WRITERS`` below);
- photo bytes are readable only through a live board photo record the caller may read
  (whose author had the bytes: the worlds are built so that each author uploaded them), and
  their existence is confirmed only to who may read them or uploaded them;
- sync pull sends the courses the caller may read with everything in them, the children of
  those courses with their guardians, and the caller's own conflicts — nothing else.
"""

from __future__ import annotations

from tests.attack.access_world import Record, Staff, World

COURSE_ROLES = ("family_unit", "educator", "psychologist")
OFFICE = ("family_unit", "educator")  # who opens courses and keeps the child's file
# Who may change a record of each kind, once they may read it (architecture.md "Access",
# "Reports for parents": only the family unit publishes and files; nobody writes a receipt
# or a parent's comment).
WRITERS: dict[str, tuple[str, ...]] = {
    "child": OFFICE,
    "guardian": OFFICE,
    "course": OFFICE,
    "consent": OFFICE,
    "meeting": COURSE_ROLES,
    "task": COURSE_ROLES,
    "participant": COURSE_ROLES,
    "board_note": COURSE_ROLES,
    "board_photo": COURSE_ROLES,
    "agreement": COURSE_ROLES,
    "minutes": COURSE_ROLES,
    "report": ("family_unit",),
    "filing": ("family_unit",),
    "report_reading": (),
    "attachment": OFFICE,
    "members": OFFICE,
    # The scaling question is asked by whoever is at the table; the parents' comments are
    # theirs alone (written on the phone), read-only for every member of staff.
    "scaling_answer": COURSE_ROLES,
    "parent_comment": (),
    "hand_over": ("family_unit",),
    "agenda_send": ("family_unit",),
    "invitation": ("family_unit",),
    "guardian_session": ("family_unit",),
    "blob_upload": COURSE_ROLES,
    "houses": COURSE_ROLES,
}


def may_read_course(world: World, user: Staff, course_id: str) -> bool:
    child, leader, members = world.courses[course_id]
    if user.role == "family_unit":
        return user.id == leader or user.id in members
    if user.role == "educator":
        return world.children[child][0] == user.institution_id
    if user.role == "psychologist":
        return user.id in members
    return False  # admin, and any role the rules do not name


def may_read_child(world: World, user: Staff, child_id: str) -> bool:
    institution, registered_by = world.children[child_id]
    if user.role not in COURSE_ROLES:
        return False
    if any(
        may_read_course(world, user, c) for c, (ch, _, _) in world.courses.items() if ch == child_id
    ):
        return True
    if user.role == "educator" and institution == user.institution_id:
        return True
    return user.role in OFFICE and registered_by == user.id


def may_read(world: World, user: Staff, record: Record) -> bool:
    """Over REST: the record is live and the caller may read its course (or its child)."""
    if record.deleted:
        return False
    if record.course_id is None:  # a child, its guardians and their phones
        return may_read_child(world, user, record.child_id)
    return may_read_course(world, user, record.course_id)


def may_write(user: Staff, kind: str) -> bool:
    return user.role in WRITERS[kind]


def pulled(world: World, user: Staff) -> dict[tuple[str, str], bool]:
    """(entity, id) → deleted, for everything a fresh pull must bring this user."""
    courses = {c for c in world.courses if may_read_course(world, user, c)}
    children = {world.courses[c][0] for c in courses}
    out: dict[tuple[str, str], bool] = {}
    for r in world.records:
        if r.kind in ("attachment", "guardian_session"):
            continue  # not synced
        in_scope = r.course_id in courses if r.course_id else r.child_id in children
        if in_scope:
            out[(r.kind, r.id)] = r.deleted
    for conflict, owner in world.conflicts.items():
        if owner == user.id:
            out[("conflict", conflict)] = False
    return out


def may_read_bytes(world: World, user: Staff, digest: str) -> bool:
    return any(may_read(world, user, photo) for photo in world.photo_hashes.get(digest, []))


def may_know_bytes(world: World, user: Staff, digest: str) -> bool:
    """Whether the server may tell this user that it has these bytes."""
    return world.uploaded_by.get(digest) == user.id or may_read_bytes(world, user, digest)
