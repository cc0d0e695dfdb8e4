"""CPR numbers at rest: AES-GCM with a key from ``CPR_KEY`` and a key id before every
ciphertext, so the key can rotate; and an HMAC-SHA256 lookup hash, so equal numbers find each
other without decrypting.

``CPR_KEY`` is a keyring, ``id:base64key`` pairs separated by commas, the first the current
key (it encrypts and hashes), the others still read: ``k2:…,k1:…``. Each key is 32 random
bytes; ``python -m server.identity.cpr_crypto k1`` prints a new entry. The encryption key and
the lookup key are derived from it by HKDF with different labels, so neither use weakens the
other. A CPR number has little entropy (a date and four digits): an unkeyed hash would be
reversed by trying them all, which is why the lookup hash is keyed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from server.identity.cpr import Cpr, InvalidCpr

_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}", re.ASCII)
_NONCE_BYTES = 12  # AES-GCM's standard nonce: random per encryption, never reused in practice
_KEY_BYTES = 32


class CprKeyError(ValueError):
    """``CPR_KEY`` is not a keyring this module can use (the message never prints a key)."""


class CprDecryptError(ValueError):
    """A stored value is not a ciphertext of this keyring: tampered, moved from another
    column, or encrypted with a key no longer in ``CPR_KEY``."""


@dataclass(frozen=True, repr=False)
class _Key:
    key_id: str
    aead: AESGCM
    mac_key: bytes


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(raw: bytes, label: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None, info=b"trivsel/cpr/" + label
    ).derive(raw)


class CprKeyring:
    """Encrypts, decrypts and hashes CPR numbers with the keys of ``CPR_KEY``."""

    def __init__(self, keys: Sequence[tuple[str, bytes]]) -> None:
        if not keys:
            raise CprKeyError("CPR_KEY names no key")
        self._keys: dict[str, _Key] = {}
        for key_id, raw in keys:
            if not _KEY_ID.fullmatch(key_id):
                raise CprKeyError("a CPR_KEY key id is 1-16 letters, digits, '-' or '_'")
            if len(raw) != _KEY_BYTES:
                raise CprKeyError(f"CPR_KEY's key {key_id!r} is not {_KEY_BYTES} bytes")
            if key_id in self._keys:
                raise CprKeyError(f"CPR_KEY names the key id {key_id!r} twice")
            self._keys[key_id] = _Key(
                key_id, AESGCM(_derive(raw, b"encrypt")), _derive(raw, b"lookup")
            )
        self.current_id = keys[0][0]

    @classmethod
    def from_setting(cls, setting: str) -> CprKeyring:
        """The keyring a ``CPR_KEY`` value describes (``k2:base64,k1:base64``)."""
        pairs: list[tuple[str, bytes]] = []
        for entry in filter(None, (part.strip() for part in setting.split(","))):
            key_id, sep, encoded = entry.partition(":")
            if not sep:
                raise CprKeyError("each CPR_KEY entry is id:base64key")
            try:
                raw = _unb64(encoded.strip())
            except ValueError:
                raise CprKeyError(f"CPR_KEY's key {key_id!r} is not base64") from None
            pairs.append((key_id.strip(), raw))
        return cls(pairs)

    def __repr__(self) -> str:
        return f"CprKeyring(current={self.current_id!r}, keys={list(self._keys)!r})"

    def encrypt(self, cpr: Cpr, purpose: str = "") -> str:
        """``keyid:base64(nonce + ciphertext + tag)``. ``purpose`` (e.g. ``child.cpr``) is
        authenticated, so a value copied into another column does not decrypt there."""
        key = self._keys[self.current_id]
        nonce = os.urandom(_NONCE_BYTES)
        sealed = key.aead.encrypt(nonce, cpr.digits.encode("ascii"), self._aad(key, purpose))
        return f"{key.key_id}:{_b64(nonce + sealed)}"

    def decrypt(self, stored: str, purpose: str = "") -> Cpr:
        """The number in a value ``encrypt`` made; CprDecryptError for anything else."""
        key_id, _, body = stored.partition(":")
        key = self._keys.get(key_id)
        if key is None:
            raise CprDecryptError("the value's key id is not in CPR_KEY")
        try:
            blob = _unb64(body)
            plain = key.aead.decrypt(
                blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], self._aad(key, purpose)
            )
            return Cpr(plain.decode("ascii"))
        except (InvalidTag, ValueError, InvalidCpr):
            raise CprDecryptError("the value does not decrypt with CPR_KEY") from None

    def needs_rotation(self, stored: str) -> bool:
        """True for a value encrypted or hashed under a key that is no longer current."""
        return stored.partition(":")[0] != self.current_id

    def lookup_hash(self, cpr: Cpr) -> str:
        """``keyid:base64(HMAC-SHA256)`` under the current key: stored beside the ciphertext,
        equal for equal numbers, meaningless without the key."""
        return self._hash(self._keys[self.current_id], cpr)

    def lookup_hashes(self, cpr: Cpr) -> list[str]:
        """The number's hash under every key of the ring, for ``WHERE hash IN (…)`` while
        rows hashed under an older key are not yet rotated."""
        return [self._hash(key, cpr) for key in self._keys.values()]

    @staticmethod
    def _hash(key: _Key, cpr: Cpr) -> str:
        digest = hmac.new(key.mac_key, cpr.digits.encode("ascii"), hashlib.sha256).digest()
        return f"{key.key_id}:{_b64(digest)}"

    @staticmethod
    def _aad(key: _Key, purpose: str) -> bytes:
        return b"trivsel-cpr\0" + key.key_id.encode("ascii") + b"\0" + purpose.encode("utf-8")


def new_key_entry(key_id: str) -> str:
    """A fresh ``CPR_KEY`` entry (``id:base64key``) with 32 random bytes."""
    if not _KEY_ID.fullmatch(key_id):
        raise CprKeyError("a CPR_KEY key id is 1-16 letters, digits, '-' or '_'")
    return f"{key_id}:{_b64(os.urandom(_KEY_BYTES))}"


if __name__ == "__main__":  # pragma: no cover - an operator's one-liner
    print(new_key_entry(sys.argv[1] if len(sys.argv) > 1 else "k1"))
