"""The app's CPR keyring, and the two columns a child and a guardian carry for a CPR number.

``cpr`` holds only ciphertext (``EncryptedCpr``: a ``Cpr`` in, a ``Cpr`` out, bound to the
column's name) and ``cpr_lookup`` the keyed hash that finds a row by number without decrypting
every row (``CprKeyring.lookup_hash``). Set both with ``set_cpr`` so they never disagree."""

from __future__ import annotations

from typing import Any, Protocol

from flask import current_app
from sqlalchemy import ColumnElement

from server.identity.cpr import Cpr
from server.identity.cpr_crypto import CprKeyring

_EXTENSION = "trivsel_cpr_keyring"


def app_keyring() -> CprKeyring:
    """The keyring ``CPR_KEY`` describes, built once per app (server/config.py refuses a start
    without it in production and gives development and tests a key of their own)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    setting = str(app.config.get("CPR_KEY", ""))
    cached: tuple[str, CprKeyring] | None = app.extensions.get(_EXTENSION)
    if cached is None or cached[0] != setting:
        cached = (setting, CprKeyring.from_setting(setting))
        app.extensions[_EXTENSION] = cached
    return cached[1]


class HasCpr(Protocol):
    """A row with a CPR number and its lookup hash (a child, a guardian)."""

    cpr: Cpr | None
    cpr_lookup: str | None


def set_cpr(row: HasCpr, cpr: Cpr | None) -> None:
    """Give ``row`` a CPR number (or take it away): the ciphertext and the hash together."""
    row.cpr = cpr
    row.cpr_lookup = None if cpr is None else app_keyring().lookup_hash(cpr)


def with_cpr(column: Any, cpr: Cpr) -> ColumnElement[bool]:
    """``WHERE cpr_lookup IN (…)`` under every key of the ring, so rows hashed under an older
    key are found until ``flask identity rotate-cpr`` has rehashed them."""
    return column.in_(app_keyring().lookup_hashes(cpr))  # type: ignore[no-any-return]
