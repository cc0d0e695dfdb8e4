"""write path: stored push answers name conflicts by id only

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Push answers stored before this kept each conflict's values (the text that lost, and the one
that won), so a course's texts survived its deletion by retention. The server now stores a
conflict by its id and reads it back for a repeated push (server/sync/push.py); this rewrites
the answers stored before in the same form. No schema change.
"""
import json

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_mutation = sa.table(
    "sync_mutation", sa.column("id", sa.String(36)), sa.column("result", sa.JSON()))


def upgrade():
    conn = op.get_bind()
    # Only answers that list a conflict's values: their text holds "winning_value".
    rows = conn.execute(sa.select(_mutation.c.id, _mutation.c.result).where(
        sa.cast(_mutation.c.result, sa.Text).like('%"winning_value"%'))).fetchall()
    for row_id, result in rows:
        stored = json.loads(result) if isinstance(result, str) else dict(result)
        stored["conflicts"] = [c["id"] if isinstance(c, dict) else c
                               for c in stored.get("conflicts") or []]
        conn.execute(sa.update(_mutation).where(_mutation.c.id == row_id)
                     .values(result=stored))


def downgrade():
    pass  # the values are gone for good: the answers keep naming conflicts by id
