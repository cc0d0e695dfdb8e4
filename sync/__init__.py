"""Trivsel's sync engine: independent of Flask and of the server package."""

from sync.record import SyncRecord, new_id
from sync.types import UtcDateTime, utcnow

__all__ = ["SyncRecord", "UtcDateTime", "new_id", "utcnow"]
