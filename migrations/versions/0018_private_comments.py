"""A parent's comment is private to its author and the staff unless shared

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

Issue 21 point 1: ``parent_comment.shared_with_guardians``, false for every comment written
before (those were shown to both guardians while the page said only staff read them: the
safe reading of what their authors wanted is "not shared").
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('parent_comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shared_with_guardians', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('parent_comment', schema=None) as batch_op:
        batch_op.drop_column('shared_with_guardians')
