"""Guardian sessions say how they began (a personal link or MitID); a link knows its meeting

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

Issue 20: with PARENT_OIDC_ISSUER set, only sessions a MitID sign-in began give access; the
phones' sessions from personal links (up to GUARDIAN_SESSION_DAYS long) stop counting at once.
Issue 21: a personal link about a new report leads to that report, on every tap.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('guardian_session', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('via', sa.String(length=8), nullable=False, server_default='link')
        )
    with op.batch_alter_table('guardian_invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.String(length=36), nullable=True))


def downgrade():
    with op.batch_alter_table('guardian_invitation', schema=None) as batch_op:
        batch_op.drop_column('meeting_id')
    with op.batch_alter_table('guardian_session', schema=None) as batch_op:
        batch_op.drop_column('via')
