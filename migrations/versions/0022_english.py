"""English for parents: the guardian's chosen language, a report page's English copy

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07

Issue 21 point 8: a parent chooses English or Danish on the parents' pages; the choice is
kept on the guardian so letters, notices and e-mails go in it, and a published version's
page is kept in both languages (made once, as the Danish one is).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('guardian') as batch:
        batch.add_column(
            sa.Column('language', sa.String(length=2), nullable=False, server_default='da')
        )
    with op.batch_alter_table('report_page') as batch:
        batch.add_column(sa.Column('html_en', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('report_page') as batch:
        batch.drop_column('html_en')
    with op.batch_alter_table('guardian') as batch:
        batch.drop_column('language')
