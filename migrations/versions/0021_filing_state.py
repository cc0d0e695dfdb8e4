"""Filing acknowledged: a filing is done only when the receiving side says so

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07

Issue 22: the tablet shows "Journaliseret" only once the case system (or the folder, written
and synced to disk) has acknowledged the filing, and retention keeps a course whose filing
is not acknowledged. Filings made before this were written to the folder when they were
made, so they count as acknowledged then.
"""

import sqlalchemy as sa
from alembic import op

import sync.types

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("filing", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state", sa.String(length=20), nullable=False, server_default="sent")
        )
        batch_op.add_column(
            sa.Column("acknowledged_at", sync.types.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("last_error", sa.String(length=300), nullable=False, server_default="")
        )
    # The folder exporter wrote (and fsynced) the archive before the filing was saved.
    op.execute(
        "UPDATE filing SET state = 'acknowledged', acknowledged_at = filed_at, attempts = 1 "
        "WHERE filed_at IS NOT NULL AND location <> ''"
    )


def downgrade():
    with op.batch_alter_table("filing", schema=None) as batch_op:
        batch_op.drop_column("last_error")
        batch_op.drop_column("attempts")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("state")
