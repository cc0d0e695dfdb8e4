"""board and speed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Slot reserved for the work on the board at the table and speed (issues 12, 14); empty until that work fills it.
"""
from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
