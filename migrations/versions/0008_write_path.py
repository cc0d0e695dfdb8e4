"""write path

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Slot reserved for the work on the one write path; empty until that work fills it.
"""
from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
