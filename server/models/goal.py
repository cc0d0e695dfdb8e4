"""Worries paired with goals (Signs of Safety), each goal with its own 0-10 scale."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Base
from server.models._common import UtcDateTime
from server.models._meeting_part import MeetingPart
from sync import SyncRecord


class GoalPair(SyncRecord, Base):
    """A worry from the board's "Det der bekymrer" paired with what we want to see instead,
    a note from "Det vi vil se ske", on a course.

    The pair belongs to the course, not to the meeting where it was made: the goal is
    scaled at every later meeting until it is reached. Both notes are of the same course
    (``server/courses/checks.py: check_goal_pair``)."""

    __tablename__ = "goal_pair"

    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), index=True)
    worry_note_id: Mapped[str] = mapped_column(ForeignKey("board_note.id"), index=True)
    goal_note_id: Mapped[str] = mapped_column(ForeignKey("board_note.id"), index=True)
    # When the goal was marked reached at the table (null: still being worked on).
    reached_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def scope(self) -> str:
        """Sync scope of the course."""
        return f"course:{self.course_id}"


class GoalScore(SyncRecord, MeetingPart, Base):
    """Where one person at a meeting (or the child) puts one goal today, 0-10.

    Shaped as the overall scaling question's answer (``ScalingAnswer``): one record per
    person, pair and meeting, so two tablets scoring at the same table never write the same
    record, and name and role are kept as said at the table."""

    __tablename__ = "goal_score"

    goal_pair_id: Mapped[str] = mapped_column(ForeignKey("goal_pair.id"), index=True)
    participant_id: Mapped[str | None] = mapped_column(ForeignKey("participant.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    value: Mapped[int] = mapped_column(Integer)
