"""blob store

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Slot reserved for the work on the object store and proof of possession; empty until that work fills it.
"""
from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
