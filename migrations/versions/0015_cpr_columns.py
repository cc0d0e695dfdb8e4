"""CPR numbers on children and guardians

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

Issue 20: a child and each guardian may carry a CPR number, stored encrypted (server/identity/
cpr_types.py) with a keyed hash beside it for lookups (indexed; never the number itself).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('child', 'guardian'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('cpr', sa.String(length=100), nullable=True))
            batch_op.add_column(sa.Column('cpr_lookup', sa.String(length=64), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_cpr_lookup'), ['cpr_lookup'],
                                  unique=False)


def downgrade():
    for table in ('guardian', 'child'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_cpr_lookup'))
            batch_op.drop_column('cpr_lookup')
            batch_op.drop_column('cpr')
