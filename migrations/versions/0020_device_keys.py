"""Device keys: what opens the data a tablet stores

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07

Issue 23 part 2: a tablet's data key is wrapped by a key the server gives a signed-in session
on that device; one row per person and device, closed by signing out there or by an admin.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'device_key',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.String(length=36), nullable=False),
        sa.Column('device_id', sa.String(length=36), nullable=False),
        sa.Column('key', sa.LargeBinary(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_by_id', sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'device_id'),
    )
    with op.batch_alter_table('device_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_key_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('device_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_key_user_id'))
    op.drop_table('device_key')
