"""Proof of possession: who has sent the server which photo's bytes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import created_col


class BlobUpload(Base):
    """A verified upload of the bytes named ``content_hash`` by one user.

    Sending bytes that hash to H proves having them; knowing H proves nothing. A board photo
    record's bytes are served only when its ``uploader_id`` has a row here
    (server/photos/access.py). Uploading a photo the server has already adds a row and
    stores nothing.
    """

    __tablename__ = "blob_upload"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("user_account.id"), primary_key=True, index=True
    )
    content_type: Mapped[str] = mapped_column(String(20))  # what the bytes proved to be
    size: Mapped[int] = mapped_column(Integer)  # bytes sent
    stored_size: Mapped[int] = mapped_column(Integer)  # bytes of the cleaned copy kept
    created_at: Mapped[datetime] = created_col()
