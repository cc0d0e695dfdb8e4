"""accounts and throttle

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Slot reserved for the work on accounts, sessions and sign-in throttling; empty until that work fills it.
"""
from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
