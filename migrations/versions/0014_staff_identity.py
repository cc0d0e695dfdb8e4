"""staff identity

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

Issue 20: staff sign in through the municipality's identity provider. An account remembers
who the provider says it is (issuer and subject, unique together; None for local accounts);
an institution carries the id the provider names it by (organisation UUID or EAN, unique
where set); the sign-in's replay guard keeps each used callback's state until it expires.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint('uq_user_account_oidc',
                                          ['oidc_issuer', 'oidc_subject'])
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint('uq_institution_external_id', ['external_id'])
    op.create_table('oidc_used_state',
    sa.Column('state', sa.String(length=128), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('state')
    )
    with op.batch_alter_table('oidc_used_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oidc_used_state_expires_at'), ['expires_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('oidc_used_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oidc_used_state_expires_at'))
    op.drop_table('oidc_used_state')
    with op.batch_alter_table('institution', schema=None) as batch_op:
        batch_op.drop_constraint('uq_institution_external_id', type_='unique')
        batch_op.drop_column('external_id')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint('uq_user_account_oidc', type_='unique')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('oidc_issuer')
