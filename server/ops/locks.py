"""A lock per periodic job, so two instances running the same job do its work once.

The lock belongs to the current database transaction and ends with it (commit or rollback),
so a crashed run can never leave it taken.

- PostgreSQL: a transaction-level advisory lock (``pg_try_advisory_xact_lock``) on a number
  made from the job's name.
- SQLite: every writing transaction begins IMMEDIATE (``server/database.py``) and so holds the
  database's single write lock until it ends; the first statement waits for it (the busy
  timeout) and a run still going after that is reported as busy.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from server.extensions import db


def lock_key(name: str) -> int:
    """A stable signed 64-bit number for ``name`` (advisory locks are keyed by bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def try_job_lock(name: str) -> bool:
    """Take the job's lock for the rest of the current transaction; False when another run
    holds it (then do nothing and end the transaction)."""
    session = db.session()
    if session.get_bind().dialect.name == "postgresql":
        taken = session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(name)}
        )
        return bool(taken)
    try:
        session.execute(text("SELECT 1"))  # begins the IMMEDIATE transaction
    except OperationalError:  # "database is locked": another writer kept it past the timeout
        session.rollback()
        return False
    return True
