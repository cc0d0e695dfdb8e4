"""``flask identity rotate-cpr``: every stored CPR number re-encrypted and rehashed under the
current (first) key of ``CPR_KEY``, so that an older key can be taken out of the ring.

Rows are chosen by the key id their stored values begin with, a batch at a time, and written
with a plain UPDATE of the two columns: the number itself does not change, so neither the
record's version nor its sync change log moves (the tablet never had it). A run that stops
half-way is finished by the next one; a second run finds nothing to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, or_, select, type_coerce, update

from server.extensions import db
from server.identity.cpr_crypto import CprDecryptError
from server.identity.cpr_store import app_keyring
from server.models import Child, Guardian

BATCH = 500
MODELS: tuple[type[Any], ...] = (Child, Guardian)


@dataclass
class Rotated:
    """What a run did, per table: rows rewritten, and rows no key of the ring opens."""

    rewritten: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)


def rotate_cpr(batch: int = BATCH) -> Rotated:
    """Rewrite every child's and guardian's CPR number not yet under the current key; each
    batch commits on its own."""
    keyring = app_keyring()
    current = keyring.current_id + ":"
    done = Rotated()
    for model in MODELS:
        table = model.__table__
        raw_cpr = type_coerce(table.c.cpr, String)  # the stored ciphertext, not decrypted
        purpose = table.c.cpr.type.purpose
        stale = or_(
            ~raw_cpr.startswith(current, autoescape=True),
            table.c.cpr_lookup.is_(None),
            ~table.c.cpr_lookup.startswith(current, autoescape=True),
        )
        rewritten = unreadable = 0
        after = ""
        while True:
            rows = db.session.execute(
                select(table.c.id, raw_cpr)
                .where(table.c.cpr.is_not(None), stale, table.c.id > after)
                .order_by(table.c.id)
                .limit(batch)
            ).all()
            if not rows:
                break
            for row_id, stored in rows:
                try:
                    cpr = keyring.decrypt(stored, purpose)
                except CprDecryptError:
                    unreadable += 1  # left as it is: the operator still has the old key
                    continue
                db.session.execute(
                    update(table)
                    .where(table.c.id == row_id)
                    .values(cpr=cpr, cpr_lookup=keyring.lookup_hash(cpr))
                )
                rewritten += 1
            db.session.commit()
            after = rows[-1][0]
        done.rewritten[table.name] = rewritten
        done.unreadable[table.name] = unreadable
    return done
