"""Single-use link secrets and phone-session secrets are kept only as their SHA-256: a copy
of the database gives nobody a working link or session."""

from __future__ import annotations

import hashlib


def token_hash(secret: str) -> str:
    """What is stored and looked up for ``secret``."""
    return hashlib.sha256(secret.encode()).hexdigest()
