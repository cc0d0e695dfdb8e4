"""Custody from the CPR service (``CUSTODY_SOURCE=cpr``): ``flask identity refresh-custody``
and the worker's ``custody`` job ask the service about every child with a CPR number and set
each guardian's ``has_custody`` from the answer.

- A guardian whose custody the service no longer names loses it, and with it every phone
  session and unused link, in the transaction that records the change (the ``Guardian``
  mapper event calls ``server.parents.guardian_access.end_parent_access``).
- A guardian the service names gets custody; with MitID they get access at their next
  sign-in. Nothing else is granted: no link is sent.
- A holder the service names who is not a guardian in Trivsel is not invented: the course's
  leader gets a task to add them (the birth date shown, never the number).
- The service down, an answer outside the contract, a child it does not know: nothing
  changes for that child (access is never widened, nor taken on a guess), and the log line
  says how many, never which number.
- A guardian without a CPR number cannot be matched and keeps what staff recorded.

The service is asked outside any database transaction (SQLite's writes wait for none); each
child's changes commit on their own."""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields

from sqlalchemy import select

from server import audit
from server.extensions import db
from server.identity import da
from server.identity.cpr import Cpr
from server.identity.custody import ChildUnknown, CustodyError, CustodySource
from server.models import Child, Course, Guardian, Task

_log = logging.getLogger(__name__)
BATCH = 200
TASK_KIND = "custody_holder"


@dataclass
class Refreshed:
    """The figures of one run (counts only: they go to the log)."""

    children: int = 0
    custody_ended: int = 0
    custody_given: int = 0
    holders_missing: int = 0
    without_cpr: int = 0
    unknown: int = 0
    unanswered: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def refresh_custody(source: CustodySource, batch: int = BATCH) -> Refreshed:
    """Ask ``source`` about every live child with a CPR number and apply its answers."""
    done = Refreshed()
    after = ""
    while True:
        children: list[tuple[str, Cpr | None]] = [
            (row.id, row.cpr)
            for row in db.session.execute(
                select(Child.id, Child.cpr)
                .where(Child.cpr.is_not(None), Child.deleted_at.is_(None), Child.id > after)
                .order_by(Child.id)
                .limit(batch)
            )
        ]
        db.session.rollback()  # no transaction held while the service is asked
        if not children:
            break
        for child_id, cpr in children:
            if cpr is not None:
                _refresh_child(source, child_id, cpr, done)
        after = children[-1][0]
    if done.unanswered or done.unknown:
        _log.warning(
            "custody refresh: no answer for %d children and %d unknown to the CPR service; "
            "their custody is unchanged",
            done.unanswered,
            done.unknown,
        )
    return done


def _refresh_child(source: CustodySource, child_id: str, cpr: Cpr, done: Refreshed) -> None:
    try:
        holders = source.holders(cpr)
    except ChildUnknown:
        done.unknown += 1
        return
    except CustodyError as exc:  # its message names no number (server/identity/custody.py)
        done.unanswered += 1
        _log.warning("custody refresh: %s", exc)
        return
    done.children += 1
    guardians = db.session.scalars(
        select(Guardian).where(Guardian.child_id == child_id, Guardian.deleted_at.is_(None))
    ).all()
    known: set[Cpr] = set()
    for guardian in guardians:
        if guardian.cpr is None:
            done.without_cpr += 1
            continue
        known.add(guardian.cpr)
        holds = guardian.cpr in holders
        if guardian.has_custody == holds:
            continue
        # Through the ORM, so the mapper event ends the former holder's access in this
        # transaction and the change log sends the new value to the tablets.
        guardian.has_custody = holds
        audit.record("update", "guardian", guardian.id, child_id, "has_custody:cpr")
        if holds:
            done.custody_given += 1
        else:
            done.custody_ended += 1
    for holder in sorted(holders - known, key=lambda c: c.digits):
        done.holders_missing += 1
        _task_for_staff(child_id, holder)
    db.session.commit()


def _task_for_staff(child_id: str, holder: Cpr) -> None:
    """A task on each open course of the child: add this custody holder (once)."""
    title = f"{da.CUSTODY_HOLDER_MISSING} (født {holder.masked[:6]})"
    courses = db.session.scalars(
        select(Course).where(
            Course.child_id == child_id, Course.deleted_at.is_(None), Course.closed_at.is_(None)
        )
    ).all()
    for course in courses:
        exists = db.session.scalar(
            select(Task.id).where(
                Task.course_id == course.id,
                Task.kind == TASK_KIND,
                Task.title == title,
                Task.done_at.is_(None),
                Task.deleted_at.is_(None),
            )
        )
        if exists is None:
            db.session.add(
                Task(
                    course_id=course.id,
                    kind=TASK_KIND,
                    title=title,
                    assignee_role="family_unit",
                    assignee_id=course.leader_id,
                )
            )
