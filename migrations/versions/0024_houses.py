"""The child's three houses: one record per meeting, and drawings as tagged photos

Revision ID: 0024_houses
Revises: 0022
Create Date: 2026-12-08

Issue 25 §3: "Huset med bekymringer", "Huset med de gode ting", "Drømmehuset" in the
child's words (``houses``, a part of a meeting like the minutes, keyed to its meeting and
course so access and retention follow them), and the photo of a drawing in one of them as a
``board_photo`` whose ``house`` names the part ("" for every photo of the board, so the
photos there stay on the board): the photo path's proof of possession, EXIF stripping and
serving rules then hold for drawings without a second copy of them.
"""

import sqlalchemy as sa
from alembic import op

import sync.types


# revision identifiers, used by Alembic.
revision = "0024_houses"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "houses",
        sa.Column("worries", sa.Text(), nullable=False),
        sa.Column("good", sa.Text(), nullable=False),
        sa.Column("dream", sa.Text(), nullable=False),
        sa.Column("shared_with_parents", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sync.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sync.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sync.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("field_clocks", sa.JSON(), nullable=False),
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["course.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("houses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_houses_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_houses_meeting_id"), ["meeting_id"], unique=False)

    with op.batch_alter_table("board_photo", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("house", sa.String(length=10), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("board_photo", schema=None) as batch_op:
        batch_op.drop_column("house")

    with op.batch_alter_table("houses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_houses_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_houses_course_id"))

    op.drop_table("houses")
