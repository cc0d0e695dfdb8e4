"""pull documents

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

Issue 14: a changed record's wire JSON is kept beside its change (server/sync/documents.py),
so a pull page is one read. Rows written before have none and are built as before until
their record changes or ``flask sync rebuild-documents`` runs.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sync_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('doc', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('doc_shape', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('sync_change', schema=None) as batch_op:
        batch_op.drop_column('doc_shape')
        batch_op.drop_column('doc')
