"""Password hashing with Argon2id (a modern, memory-hard KDF)."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context

_hasher = PasswordHasher()
# New hashes take the app's PASSWORD_HASH_PROFILE (server/config.py; "cheapest" only in tests).
# Verifying needs no profile: argon2 reads the parameters from the stored hash, so a hash
# verifies whichever profile made it.
_PROFILES = {"default": _hasher, "cheapest": PasswordHasher.from_parameters(profiles.CHEAPEST)}
# Verifying against this when the e-mail is unknown keeps the answer time the same,
# so response timing does not tell which e-mails have accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Hash a new password."""
    # Outside an app the strong default: only a test's app config can ask for less.
    profile = current_app.config["PASSWORD_HASH_PROFILE"] if has_app_context() else "default"
    return _PROFILES[profile].hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when the password matches; spends the same time when there is no account.

    An account with no password yet (an empty hash: waiting for its welcome link) matches
    nothing, not even the dummy hash's own password."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and bool(stored_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
