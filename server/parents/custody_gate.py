"""Which guardians a MitID sign-in speaks for: the one place that decides it (issue 20).

A parent signed in with MitID reads the children for whom a guardian row with their CPR number
holds custody. Custody is today's ``has_custody`` whatever ``CUSTODY_SOURCE`` says: the ``cpr``
source writes it onto the guardian rows (and ends the former holder's sessions), so this
function reads one column either way. The CPR number is matched by its keyed lookup hash under
every key of the ring (``with_cpr``), never decrypted, never logged."""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import with_cpr
from server.models import Child, Guardian


def children_for(cpr: Cpr) -> list[Guardian]:
    """The live guardian rows with this CPR number that hold custody of a live child (one per
    child; a parent of two children has two rows), oldest child first. Empty: no access."""
    return list(
        db.session.scalars(
            select(Guardian)
            .join(Child, Child.id == Guardian.child_id)
            .where(
                with_cpr(Guardian.cpr_lookup, cpr),
                Guardian.has_custody.is_(True),
                Guardian.deleted_at.is_(None),
                Child.deleted_at.is_(None),
            )
            .order_by(Child.created_at, Guardian.id)
        )
    )
