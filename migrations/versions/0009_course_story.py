"""course story: held time, agreement reviews, the scaling question, parents' comments

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Issue 12 (the course as one story): when a meeting was finished at the table
(``meeting.held_at``), how an agreement went when it was reviewed at the next meeting and
which earlier agreement one carries on (``agreement.outcome``, ``agreement.carried_from_id``),
the answers to the scaling question (``scaling_answer``) and the guardians' comments on a
published report (``parent_comment``).
"""
from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _record_columns():
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sync.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sync.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column('deleted_at', sync.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column('field_clocks', sa.JSON(), nullable=False),
        sa.Column('meeting_id', sa.String(length=36), nullable=False),
        sa.Column('course_id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['course.id'], ),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
        sa.PrimaryKeyConstraint('id'),
    ]


def upgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_at', sync.types.UtcDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('carried_from_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key('fk_agreement_carried_from_id_agreement', 'agreement',
                                    ['carried_from_id'], ['id'])

    op.create_table('scaling_answer',
        sa.Column('participant_id', sa.String(length=36), nullable=True),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ),
    )
    with op.batch_alter_table('scaling_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scaling_answer_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scaling_answer_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scaling_answer_participant_id'), ['participant_id'], unique=False)

    op.create_table('parent_comment',
        sa.Column('report_id', sa.String(length=36), nullable=False),
        sa.Column('guardian_id', sa.String(length=36), nullable=False),
        sa.Column('guardian_label', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('written_at', sync.types.UtcDateTime(timezone=True), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(['guardian_id'], ['guardian.id'], ),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    )
    with op.batch_alter_table('parent_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parent_comment_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parent_comment_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parent_comment_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parent_comment_guardian_id'), ['guardian_id'], unique=False)


def downgrade():
    op.drop_table('parent_comment')
    op.drop_table('scaling_answer')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_constraint('fk_agreement_carried_from_id_agreement', type_='foreignkey')
        batch_op.drop_column('carried_from_id')
        batch_op.drop_column('outcome')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('held_at')
