"""A staff member's work phone and e-mail

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

Issue 21: parents' pages, letters and PDFs name the course leader with a way to reach them.
Empty until the person (or an admin) fills them in.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('work_phone', sa.String(length=40), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('work_email', sa.String(length=254), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('work_email')
        batch_op.drop_column('work_phone')
