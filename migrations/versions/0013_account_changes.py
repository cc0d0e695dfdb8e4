"""account changes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

Issue 19: a new account or a change of access waits for a second admin (account_change);
people choose their own password through a single-use link (password_token); an account
records who asked for it and who approved it. Accounts that exist already keep working:
they have no creator, so they count as made by the operator.
"""
import sqlalchemy as sa
from alembic import op

import sync.types

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('approved_by_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sync.types.UtcDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key('fk_user_account_created_by', 'user_account',
                                    ['created_by_id'], ['id'])
        batch_op.create_foreign_key('fk_user_account_approved_by', 'user_account',
                                    ['approved_by_id'], ['id'])
    # Before this revision an admin chose every staff password (issue 19, finding 1): the
    # admin knows them all, and could sign in as any educator or approve its own requests as a
    # second admin whose password it set. So none of them stays usable: every account is
    # treated as approved by the operator (it existed before the rule), its password is
    # cleared and its sessions end; each person chooses a password through a link
    # (`flask users send-password-links`, docs/deploying.md).
    op.execute("UPDATE user_account SET approved_at = created_at WHERE approved_at IS NULL")
    op.execute("UPDATE user_account SET password_hash = ''")
    op.execute("DELETE FROM auth_session")
    op.create_table('account_change',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('values', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.String(length=36), nullable=True),
    sa.Column('requested_at', sync.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.String(length=36), nullable=True),
    sa.Column('decided_at', sync.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('account_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_change_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_change_status'), ['status'], unique=False)
    op.create_table('password_token',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('created_at', sync.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.String(length=36), nullable=True),
    sa.Column('expires_at', sync.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('used_at', sync.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('password_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_token_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('password_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_token_user_id'))
    op.drop_table('password_token')
    with op.batch_alter_table('account_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_change_status'))
        batch_op.drop_index(batch_op.f('ix_account_change_user_id'))
    op.drop_table('account_change')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint('fk_user_account_approved_by', type_='foreignkey')
        batch_op.drop_constraint('fk_user_account_created_by', type_='foreignkey')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('created_by_id')
