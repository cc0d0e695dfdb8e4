"""Letters through a channel: Digital Post beside e-mail, delivery tracked per message

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

Issue 22: an outbound message records its channel (email, digital_post), what it is (kind)
and the meeting it is about, when it may next be tried (backoff), and when Digital Post's
receipt said it was delivered or printed.
"""
import sqlalchemy as sa
from alembic import op

import sync.types

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('channel', sa.String(length=20), nullable=False, server_default='email')
        )
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('meeting_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sync.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('delivered_at', sync.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_outbound_message_meeting_id'), ['meeting_id'], unique=False
        )
        batch_op.create_foreign_key(
            'fk_outbound_message_meeting_id_meeting', 'meeting', ['meeting_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('outbound_message', schema=None) as batch_op:
        batch_op.drop_constraint(
            'fk_outbound_message_meeting_id_meeting', type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_outbound_message_meeting_id'))
        for column in ('delivered_at', 'next_attempt_at', 'meeting_id', 'kind', 'channel'):
            batch_op.drop_column(column)
