"""board and speed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Slot reserved for the work on the board at the table and speed (issues 12, 14); empty until that work fills it.
"""
from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # Issue 14: a published report's page and JSON, made once when it is published
    # (server/reports/frozen.py); versions published before are made at their first view.
    op.create_table('report_page',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('course_id', sa.String(length=36), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('json_body', sa.Text(), nullable=False),
    sa.Column('rendered_at', sync.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('report_id')
    )
    with op.batch_alter_table('report_page', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_page_course_id'), ['course_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_page', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_page_course_id'))
    op.drop_table('report_page')
