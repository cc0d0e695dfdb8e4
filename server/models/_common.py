"""Column helpers shared by the models."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from sync import UtcDateTime, utcnow

__all__ = ["UtcDateTime", "created_col", "new_id", "utcnow", "uuid_pk"]


def new_id() -> str:
    """A random UUID string: ids are never guessable or sequential."""
    return str(uuid.uuid4())


def uuid_pk() -> Mapped[str]:
    """Primary key column holding a server-made UUID."""
    return mapped_column(String(36), primary_key=True, default=new_id)


def created_col() -> Mapped[datetime]:
    """Creation time, set by the server."""
    return mapped_column(UtcDateTime, default=utcnow, nullable=False)


# Enumerations kept as plain strings in the database (portable between SQLite and
# PostgreSQL); the schemas validate them.
ROLES = ("admin", "family_unit", "educator", "psychologist")
INSTITUTION_KINDS = ("daycare", "school")
CONCERN_LEVELS = ("moderate", "vulnerable")
COURSE_STATUSES = ("active", "awaiting_counsellor", "closed", "handed_over")
MEETING_KINDS = ("start", "follow_up", "closing")
MEETING_STATUSES = ("planned", "in_progress", "finished")
CHILD_PARTICIPATION = ("whole", "part", "none")
BOARD_COLUMNS = ("worries", "working", "next_steps")
# The child's three houses: "Huset med bekymringer", "Huset med de gode ting", "Drømmehuset".
HOUSE_PARTS = ("worries", "good", "dream")
AGREEMENT_OWNERS = ("guardians", "institution", "family_unit", "psychologist")
PARTICIPANT_ROLES = ("guardian", "child", "educator", "family_unit", "psychologist", "other")
CONSENT_STATUSES = ("requested", "granted", "declined", "withdrawn")
AGREEMENT_OUTCOMES = ("done", "not_done", "carried_on")
SCALE = (0, 10)  # the scaling question's answers: 0 (could not be worse) to 10
