"""Who may name, read or learn of a photo's bytes: proof of possession (issue 10, item 2).

Photos are content-addressed, and a hash is easy to come by (a tablet's log, a shared
screenshot of a pulled record, an old export). So knowing a hash must give nothing: not the
bytes, not even whether the server has them. The rules:

- Uploading bytes that hash to H proves possession of H (a ``BlobUpload`` row).
- A ``board_photo`` record may name bytes only with proof of possession: when it is created,
  its ``uploader_id`` (the upload that *backs* it) is its author, when the author has
  uploaded H; or, when the author has not but can already read a backed photo with H (a
  colleague's photo of the same course), that photo's uploader. Otherwise the record is
  refused with ``photo_not_uploaded`` — whether or not the server has the bytes, so the
  refusal confirms nothing. The refusal is not final (push does not store it): the tablet
  uploads the bytes and sends the record again.
- Bytes are served only through a live, backed record the caller may read (and to
  guardians only through a published report, whose photos were backed when it was
  published).
- ``/api/blobs/missing`` says "not missing" only for hashes the caller has uploaded or can
  read; for everything else it says "missing", whether the server has the bytes or not.

The hashes a record may name are fixed once it is created (``content_hash`` is in the
kind's ``fixed`` fields), so ``claim`` runs once, from the kind's ``on_create``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g, has_request_context
from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.exc import IntegrityError

from server.access import course_clause
from server.errors import ApiError
from server.extensions import db
from server.models import BlobUpload, BoardPhoto, Course, User
from server.photos.blobs import Accepted

# A photo record whose author has not (yet) uploaded its bytes: not a final refusal.
NOT_UPLOADED = "photo_not_uploaded"


def backed_clause() -> ColumnElement[bool]:
    """SQL condition on BoardPhoto: its uploader has sent the server its bytes."""
    return exists().where(
        BlobUpload.content_hash == BoardPhoto.content_hash,
        BlobUpload.user_id == BoardPhoto.uploader_id,
    )


def _readable_backed(user: User) -> ColumnElement[bool]:
    """SQL condition on BoardPhoto joined with Course: live, readable by ``user``, backed."""
    return and_(
        BoardPhoto.deleted_at.is_(None),
        Course.deleted_at.is_(None),
        course_clause(user),
        backed_clause(),
    )


def claim(photo: BoardPhoto, user: User) -> None:
    """Decide whose upload backs a new photo record (the BOARD_PHOTO kind's on_create), or
    refuse the record when its author has no proof of possession of its bytes."""
    backer = possessor(user, photo.content_hash)
    if backer is None:
        raise ApiError(
            422,
            "Upload the photo's bytes first, then send its record again.",
            NOT_UPLOADED,
            {
                "content_hash": [
                    "You have not uploaded these bytes and cannot read a photo that has them."
                ]
            },
        )
    photo.uploader_id = backer


def possessor(user: User, digest: str) -> str | None:
    """Whose upload of ``digest`` ``user`` may name: their own, or the uploader of a backed
    photo they may read; None when neither (the same hashes ``known_to`` calls missing)."""
    # Read without flushing: a push's fast path holds its new records back until the end.
    with db.session.no_autoflush:
        if db.session.get(BlobUpload, (digest, user.id)) is not None:
            return user.id
        return db.session.scalar(
            select(BoardPhoto.uploader_id)
            .join(Course, Course.id == BoardPhoto.course_id)
            .where(BoardPhoto.content_hash == digest, _readable_backed(user))
            .limit(1)
        )


def record_upload(user: User, accepted: Accepted) -> None:
    """Remember that ``user`` proved possession of ``accepted.digest`` (once per user)."""
    if db.session.get(BlobUpload, (accepted.digest, user.id)) is not None:
        return
    savepoint = db.session.begin_nested()
    try:
        db.session.add(
            BlobUpload(
                content_hash=accepted.digest,
                user_id=user.id,
                content_type=accepted.content_type,
                size=accepted.sent,
                stored_size=accepted.stored,
            )
        )
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()  # the same user's other device recorded it at the same moment


def readable_photo(user: User, digest: str) -> tuple[BoardPhoto, BlobUpload] | None:
    """A live, backed photo record with these bytes that ``user`` may read, and the upload
    that backs it; None for everybody else (who then get a 404)."""
    row = db.session.execute(
        select(BoardPhoto, BlobUpload)
        .join(Course, Course.id == BoardPhoto.course_id)
        .join(
            BlobUpload,
            and_(
                BlobUpload.content_hash == BoardPhoto.content_hash,
                BlobUpload.user_id == BoardPhoto.uploader_id,
            ),
        )
        .where(
            BoardPhoto.content_hash == digest,
            BoardPhoto.deleted_at.is_(None),
            Course.deleted_at.is_(None),
            course_clause(user),
        )
        .limit(1)
    ).first()
    return (row[0], row[1]) if row is not None else None


def known_to(user: User, digests: Iterable[str]) -> set[str]:
    """Those of ``digests`` the server has and ``user`` may know of: uploaded by them, or
    the bytes of a photo they may read."""
    wanted = set(digests)
    if not wanted:
        return set()
    own = select(BlobUpload.content_hash).where(
        BlobUpload.user_id == user.id, BlobUpload.content_hash.in_(wanted)
    )
    readable = (
        select(BoardPhoto.content_hash)
        .join(Course, Course.id == BoardPhoto.course_id)
        .where(BoardPhoto.content_hash.in_(wanted), _readable_backed(user))
    )
    return set(db.session.scalars(own.union(readable)))


def backed_photo_ids(photo_ids: Iterable[str]) -> set[str]:
    """Those of these photo records whose bytes are backed (for publishing and previews)."""
    ids = set(photo_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(select(BoardPhoto.id).where(BoardPhoto.id.in_(ids), backed_clause()))
    )


def published_upload(photo_id: str, digest: str) -> BlobUpload | None:
    """The upload backing a photo of a published report (deleted since or not: a published
    version never changes), or None when that record does not carry these bytes."""
    return db.session.scalar(
        select(BlobUpload)
        .join(
            BoardPhoto,
            and_(
                BlobUpload.content_hash == BoardPhoto.content_hash,
                BlobUpload.user_id == BoardPhoto.uploader_id,
            ),
        )
        .where(BoardPhoto.id == photo_id, BoardPhoto.content_hash == digest)
    )


def is_uploaded(photo: Any) -> bool:
    """The ``uploaded`` field of a photo record: are its bytes backed (asked once per
    request per hash and uploader, since a pull may carry many photos)."""
    key = (photo.content_hash, photo.uploader_id)
    memo: dict[tuple[str, str | None], bool] = (
        g.setdefault("photo_uploaded", {}) if has_request_context() else {}
    )
    if key not in memo:
        memo[key] = (
            photo.uploader_id is not None
            and db.session.get(BlobUpload, (photo.content_hash, photo.uploader_id)) is not None
        )
    return memo[key]
