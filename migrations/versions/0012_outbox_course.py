"""outbox course

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Issue 19: an outbox message names the course it is about, so retention deletes agenda
letters, consent requests and report notices (and their PDF attachments) with the course.

Messages written before carry no course. They are given the course of their guardian's
child that was open when they were queued (created before the message, not closed or
deleted before it) when exactly one such course exists; the rest (invitations to the
parents' pages, or a child with overlapping courses) stay without one, and retention
deletes them with the course open when they were queued or with the guardian.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('course_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbound_message_course_id'), ['course_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_outbound_message_course_id_course', 'course',
                                    ['course_id'], ['id'])
    # Plain SQL that SQLite and PostgreSQL both run: the one course open at queueing time.
    open_then = """
        FROM course c JOIN guardian g ON g.child_id = c.child_id
        WHERE g.id = outbound_message.guardian_id
          AND c.created_at <= outbound_message.created_at
          AND (c.closed_at IS NULL OR c.closed_at >= outbound_message.created_at)
          AND (c.deleted_at IS NULL OR c.deleted_at >= outbound_message.created_at)
    """
    op.execute(f"""
        UPDATE outbound_message SET course_id = (SELECT c.id {open_then})
        WHERE course_id IS NULL AND guardian_id IS NOT NULL
          AND (SELECT count(*) {open_then}) = 1
    """)


def downgrade():
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.drop_constraint('fk_outbound_message_course_id_course', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbound_message_course_id'))
        batch_op.drop_column('course_id')
