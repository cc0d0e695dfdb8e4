"""The SQLAlchemy column type the models will use for a CPR number (next session: a child's
and a guardian's ``cpr`` column, with a ``cpr_hash`` column beside it for lookups).

The column holds only the ciphertext; reading gives a ``Cpr`` (masked when printed), writing
takes only a ``Cpr`` (a bare string, unvalidated, is refused before it reaches the database)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Dialect, String
from sqlalchemy.types import TypeDecorator

from server.identity.cpr import Cpr
from server.identity.cpr_crypto import CprKeyring

# "k1:" plus base64 of 12 + 10 + 16 bytes is 56 characters; 100 leaves room for longer ids.
CIPHERTEXT_LENGTH = 100
# "k1:" plus base64 of 32 bytes is 46 characters.
LOOKUP_HASH_LENGTH = 64


class EncryptedCpr(TypeDecorator[Cpr]):
    """A ``Cpr`` stored as ``CprKeyring.encrypt`` of it, bound to ``purpose`` (the column's
    name, e.g. ``child.cpr``), so a value copied to another column does not decrypt."""

    impl = String(CIPHERTEXT_LENGTH)
    # The keyring comes from a callable (the app's, built from CPR_KEY at start): the same
    # callable and purpose give the same SQL, so statements may be cached.
    cache_ok = True

    def __init__(self, keyring: Callable[[], CprKeyring], purpose: str) -> None:
        super().__init__()
        self.keyring = keyring
        self.purpose = purpose

    def process_bind_param(self, value: Cpr | None, dialect: Dialect) -> str | None:
        """Encrypt on the way in; only a validated ``Cpr`` is accepted."""
        if value is None:
            return None
        if not isinstance(value, Cpr):
            raise TypeError("a CPR column takes a Cpr, not a bare string")
        return self.keyring().encrypt(value, self.purpose)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Cpr | None:
        """Decrypt on the way out (CprDecryptError for a tampered or foreign value)."""
        if value is None:
            return None
        return self.keyring().decrypt(value, self.purpose)

    @property
    def python_type(self) -> type[Cpr]:
        return Cpr
