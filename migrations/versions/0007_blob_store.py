"""blob store: proof of possession of photo bytes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

``blob_upload`` records who has uploaded which photo's bytes; ``board_photo.uploader_id``
says whose upload backs a record (server/photos/access.py). Existing photos are backed by
the author of the first record that named each hash (and records of the same course share
it); a later record in another course that named the same hash is not backed, since its
author may have known only the hash.
"""
import json

from alembic import op
import sqlalchemy as sa

import sync.types


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blob_upload',
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('stored_size', sa.Integer(), nullable=False),
    sa.Column('created_at', sync.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('content_hash', 'user_id')
    )
    with op.batch_alter_table('blob_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blob_upload_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('board_photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uploader_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key('fk_board_photo_uploader_id', 'user_account',
                                    ['uploader_id'], ['id'])
    _back_existing_photos()


def downgrade():
    with op.batch_alter_table('board_photo', schema=None) as batch_op:
        batch_op.drop_constraint('fk_board_photo_uploader_id', type_='foreignkey')
        batch_op.drop_column('uploader_id')

    with op.batch_alter_table('blob_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blob_upload_user_id'))

    op.drop_table('blob_upload')


def _back_existing_photos():
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT p.id, p.content_hash, p.content_type, p.size, p.course_id, p.field_clocks, "
        "p.created_at, c.leader_id FROM board_photo p JOIN course c ON c.id = p.course_id "
        "ORDER BY p.created_at, p.id")).all()
    first = {}  # hash -> {course id: uploader}
    for photo_id, digest, content_type, size, course_id, clocks, created_at, leader in rows:
        if isinstance(clocks, str):
            clocks = json.loads(clocks or "{}")
        author = ((clocks or {}).get("content_hash") or {}).get("user_id") or leader
        courses = first.get(digest)
        if courses is None:
            first[digest] = {course_id: author}
            uploader = author
            if _stored(digest):
                conn.execute(sa.text(
                    "INSERT INTO blob_upload (content_hash, user_id, content_type, size, "
                    "stored_size, created_at) VALUES (:h, :u, :t, :s, :s, :c)"),
                    {"h": digest, "u": author, "t": content_type, "s": size, "c": created_at})
        else:
            uploader = courses.setdefault(course_id, author)
        conn.execute(sa.text("UPDATE board_photo SET uploader_id = :u WHERE id = :i"),
                     {"u": uploader, "i": photo_id})


def _stored(digest):
    """Whether the store holds the photo (asked of the app's store when migrating inside
    the app, as ``flask db upgrade`` does; assumed otherwise)."""
    try:
        from server.photos.store import blob_store

        return blob_store().has(digest)
    except RuntimeError:  # no application context
        return True
