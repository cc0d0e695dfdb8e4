"""course story

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Slot reserved for the work on the course as one story (issue 12); empty until that work fills it.
"""
from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
