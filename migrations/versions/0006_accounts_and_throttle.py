"""accounts and throttle

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Sign-in throttling shared by every worker and instance (login_throttle), and claims on
outbox rows so that two senders never send the same message (outbound_message.claimed_at).
"""
from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('tat', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sync.types.UtcDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
    op.drop_table('login_throttle')
