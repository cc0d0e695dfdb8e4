"""goals: worries paired with goals, each goal scaled 0–10 at every meeting

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08

Issue 25 part 2 (Signs of Safety): a worry note of the board paired with a goal note on a
course (``goal_pair``, reached or not), and each person's 0–10 answer for a pair at a meeting
(``goal_score``, shaped as ``scaling_answer``). The foreign keys to course, meeting and
board note are what retention follows to delete them with the course.
"""
from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
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
        sa.Column('course_id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['course.id'], ),
        sa.PrimaryKeyConstraint('id'),
    ]


def upgrade():
    op.create_table('goal_pair',
        sa.Column('worry_note_id', sa.String(length=36), nullable=False),
        sa.Column('goal_note_id', sa.String(length=36), nullable=False),
        sa.Column('reached_at', sync.types.UtcDateTime(timezone=True), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(['worry_note_id'], ['board_note.id'], ),
        sa.ForeignKeyConstraint(['goal_note_id'], ['board_note.id'], ),
    )
    with op.batch_alter_table('goal_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_pair_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_pair_worry_note_id'), ['worry_note_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_pair_goal_note_id'), ['goal_note_id'], unique=False)

    op.create_table('goal_score',
        sa.Column('goal_pair_id', sa.String(length=36), nullable=False),
        sa.Column('participant_id', sa.String(length=36), nullable=True),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.String(length=36), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
        sa.ForeignKeyConstraint(['goal_pair_id'], ['goal_pair.id'], ),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ),
    )
    with op.batch_alter_table('goal_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_score_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_score_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_score_goal_pair_id'), ['goal_pair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_score_participant_id'), ['participant_id'], unique=False)


def downgrade():
    op.drop_table('goal_score')
    op.drop_table('goal_pair')
